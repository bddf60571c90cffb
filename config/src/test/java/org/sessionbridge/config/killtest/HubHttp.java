package org.sessionbridge.config.killtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST calls the child-JVM tests make to a {@link HubProcess}, with the hub's log on failure.
 */
final class HubHttp {

  private final HubProcess hub;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final JsonMapper json = JsonMapper.builder().build();

  HubHttp(HubProcess hub) {
    this.hub = hub;
  }

  /** Sends a JSON body and expects 200 or 201. */
  JsonNode send(String method, String path, String bearer, String body)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(hub.uri(path))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
    return json.readTree(r.body());
  }

  /** An OWNER of the practice (added here) grants the provider the telehealth role. */
  void grantTelehealth(String bearer, String provider) throws IOException, InterruptedException {
    String owner =
        send(
                "POST",
                "/api/v1/providers",
                bearer,
                "{\"name\":\"Owner\",\"email\":\"owner-"
                    + java.util.UUID.randomUUID()
                    + "@practice.example\",\"timeZone\":\"UTC\",\"role\":\"OWNER\"}")
            .get("id")
            .asString();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(hub.uri("/api/v1/providers/" + provider + "/telehealth-role"))
                .header("Authorization", "Bearer " + bearer)
                .header("X-Acting-Staff", owner)
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("grant telehealth: " + r.body()).isEqualTo(200);
  }

  /** GET, expecting 200; on anything else fails with the hub's last log lines. */
  String text(String path, String bearer) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(hub.uri(path))
                .header("Authorization", "Bearer " + bearer)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "GET " + path + " answered " + r.statusCode() + ": " + r.body() + "\n" + hub.logTail());
    }
    return r.body();
  }

  JsonNode get(String path, String bearer) throws IOException, InterruptedException {
    return json.readTree(text(path, bearer));
  }

  /** The actions of the appointment's meeting audit, oldest first. */
  List<String> audit(String appointment, String bearer) throws IOException, InterruptedException {
    List<String> actions = new ArrayList<>();
    get("/api/v1/appointments/" + appointment + "/meeting-audit", bearer)
        .forEach(e -> actions.add(e.get("action").asString()));
    return actions;
  }

  /** Waits until the appointment shows a synced meeting whose waiting room was read back on. */
  JsonNode awaitEnforced(String appointment, String bearer, Duration patience) {
    return Awaitility.await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> get("/api/v1/appointments/" + appointment, bearer).get("telehealth"),
            t ->
                t != null
                    && t.hasNonNull("meetingId")
                    && "ENFORCED".equals(t.get("waitingRoom").asString())
                    && "SYNCED".equals(t.path("state").asString("")));
  }
}
