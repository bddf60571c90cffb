package org.sessionbridge.config.killtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole Zoom flow as a new operator would run it: the real jar ({@code java -jar
 * sessionbridge.jar}) on its embedded H2 default, pointed at a Zoom fake only through the contract
 * properties ({@code sessionbridge.zoom.api-base-url}, {@code oauth-base-url}, {@code
 * webhook-secret-token}). Connect, book telehealth, meeting with waiting room, the host turns it
 * off and the hub puts it back, reschedule → PATCH, cancel → DELETE, exactly one create.
 */
class ZoomJarE2EIT {

  private static final String OPERATOR_KEY = "zoom-e2e-operator-key-" + UUID.randomUUID();
  private static final String WEBHOOK_SECRET = "zoom-e2e-webhook-secret";
  private static final String HOST = "dr.e2e@practice.example";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final JsonMapper json = JsonMapper.builder().build();
  private HubProcess hub;
  private String key;

  @Test
  void connectBookRepairRescheduleCancelWithExactlyOneCreate(@TempDir Path dataDir)
      throws Exception {
    byte[] sealKey = new byte[32];
    new SecureRandom().nextBytes(sealKey);
    try (ZoomFake zoom = ZoomFake.start(0).addAccount("acc-e2e", "client-e2e", "secret-e2e")) {
      zoom.addUser("acc-e2e", HOST);
      hub =
          HubProcess.jar(
              dataDir,
              List.of(
                  "--sessionbridge.security.operator-key=" + OPERATOR_KEY,
                  "--sessionbridge.security.encryption-keys.main="
                      + Base64.getEncoder().encodeToString(sealKey),
                  "--sessionbridge.security.active-key-id=main",
                  "--sessionbridge.zoom.api-base-url=" + zoom.baseUrl() + "/v2",
                  "--sessionbridge.zoom.oauth-base-url=" + zoom.baseUrl(),
                  "--sessionbridge.zoom.webhook-secret-token=" + WEBHOOK_SECRET));
      try (HubProcess child = hub) {
        hub.start();
        zoom.sendWebhooksTo(hub.uri("/webhooks/zoom"), WEBHOOK_SECRET);
        assertThat(zoom.sendUrlValidation()).as("the hub answers Zoom's URL validation").isTrue();

        key =
            send(
                    "POST",
                    "/api/v1/practices",
                    OPERATOR_KEY,
                    "{\"name\":\"E2E\",\"timeZone\":\"UTC\"}")
                .get("apiKey")
                .asString();
        String provider =
            send(
                    "POST",
                    "/api/v1/providers",
                    key,
                    "{\"name\":\"Dr. E\",\"email\":\"" + HOST + "\",\"timeZone\":\"Europe/Paris\"}")
                .get("id")
                .asString();
        String client =
            send("POST", "/api/v1/clients", key, "{\"name\":\"Robin\",\"email\":\"r@x.example\"}")
                .get("id")
                .asString();
        send(
            "POST",
            "/api/v1/providers/" + provider + "/video-services",
            key,
            "{\"platform\":\"ZOOM\",\"joinInstructions\":\"Use headphones.\"}");
        JsonNode connection =
            send(
                "PUT",
                "/api/v1/connections/zoom",
                key,
                "{\"accountId\":\"acc-e2e\",\"clientId\":\"client-e2e\",\"clientSecret\":\"secret-e2e\"}");
        assertThat(connection.get("status").asString()).isEqualTo("CONNECTED");

        String appointment =
            send(
                    "POST",
                    "/api/v1/appointments",
                    key,
                    "{\"providerId\":\""
                        + provider
                        + "\",\"clientIds\":[\""
                        + client
                        + "\"],\"start\":\"2030-06-03T10:00:00+02:00\","
                        + "\"end\":\"2030-06-03T10:45:00+02:00\",\"timeZone\":\"Europe/Paris\","
                        + "\"modality\":\"TELEHEALTH\",\"videoPlatform\":\"ZOOM\"}")
                .get("id")
                .asString();

        JsonNode telehealth = awaitTelehealth(appointment);
        long meetingId = Long.parseLong(telehealth.get("meetingId").asString());
        ZoomFake.Meeting made = zoom.meeting(meetingId).orElseThrow();
        assertThat(made.waitingRoom()).isTrue();
        assertThat(made.joinBeforeHost()).isFalse();
        assertThat(made.startTime()).isEqualTo(Instant.parse("2030-06-03T08:00:00Z"));
        assertThat(made.durationMinutes()).isEqualTo(45);
        assertThat(made.topic()).doesNotContain("Robin");
        assertThat(telehealth.get("joinUrl").asString()).isEqualTo(made.joinUrl());
        assertThat(getText("/api/v1/appointments/" + appointment + "/invite.ics"))
            .contains("/j/" + meetingId);

        // The host turns the waiting room off in Zoom; Zoom's signed webhook reaches the hub.
        zoom.hostChangesSettings(meetingId, false, true);
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> audit(appointment).contains("WAITING_ROOM_REPAIRED"));
        assertThat(zoom.meeting(meetingId).orElseThrow().waitingRoom()).isTrue();
        assertThat(zoom.meeting(meetingId).orElseThrow().joinBeforeHost()).isFalse();

        send(
            "PATCH",
            "/api/v1/appointments/" + appointment,
            key,
            "{\"start\":\"2030-06-04T14:00:00+02:00\",\"end\":\"2030-06-04T14:45:00+02:00\"}");
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    zoom.meeting(meetingId)
                        .orElseThrow()
                        .startTime()
                        .equals(Instant.parse("2030-06-04T12:00:00Z")));

        send("POST", "/api/v1/appointments/" + appointment + "/cancel", key, "{}");
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> zoom.meeting(meetingId).orElseThrow().deleted());

        assertThat(zoom.counts().creates()).as("creates sent to Zoom").isEqualTo(1);
        assertThat(audit(appointment))
            .containsExactly("CREATED", "WAITING_ROOM_REPAIRED", "UPDATED", "DELETED");
        hub.stop();
      }
    }
  }

  private JsonNode awaitTelehealth(String appointment) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> json.readTree(getText("/api/v1/appointments/" + appointment)).get("telehealth"),
            t ->
                t.hasNonNull("meetingId")
                    && "ENFORCED".equals(t.get("waitingRoom").asString())
                    && "SYNCED".equals(t.path("state").asString("")));
  }

  private List<String> audit(String appointment) throws Exception {
    List<String> actions = new ArrayList<>();
    json.readTree(getText("/api/v1/appointments/" + appointment + "/meeting-audit"))
        .forEach(e -> actions.add(e.get("action").asString()));
    return actions;
  }

  private String getText(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(hub.uri(path))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "GET " + path + " answered " + r.statusCode() + ": " + r.body() + "\n" + hub.logTail());
    }
    return r.body();
  }

  private JsonNode send(String method, String path, String bearer, String body)
      throws IOException, InterruptedException {
    URI uri = hub.uri(path);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
    return json.readTree(r.body());
  }
}
