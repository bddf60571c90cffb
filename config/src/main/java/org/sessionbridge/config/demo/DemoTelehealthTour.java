package org.sessionbridge.config.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.Staff;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's telehealth tour (issue #7), through the hub's own API as a practice system would use
 * it: Dr. Chen gets working hours (mornings in person, afternoons by video, every weekday in her
 * zone), a client books the first telehealth slot the availability answers from tomorrow on, and
 * the client's time-boxed join link is tried twice: for that session it refuses ("not open yet"),
 * for a session starting in ten minutes it redirects to the Zoom room. What is printed is what a
 * practice sees.
 */
@Component
@Profile("demo")
final class DemoTelehealthTour {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** What the tour saw: the refused link's status, and where the open link sent the client. */
  record Seen(int beforeWindow, String insideWindowLocation) {}

  private volatile @Nullable Seen seen;

  /** Set once the tour has tried both links. */
  @Nullable Seen seen() {
    return seen;
  }

  /** Runs the tour in the background; never fails the demo. */
  void start(String base, String apiKey, Staff provider, UUID client) {
    Thread tour =
        new Thread(
            () -> {
              try {
                run(base, apiKey, provider, client);
              } catch (IOException | RuntimeException e) {
                System.out.println("[demo] The telehealth tour stopped: " + e.getMessage());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-telehealth-tour");
    tour.setDaemon(true);
    tour.start();
  }

  private void run(String base, String key, Staff provider, UUID client)
      throws IOException, InterruptedException {
    String p = base + "/api/v1/providers/" + provider.id();
    ArrayNode week = JSON.createArrayNode();
    for (String day : new String[] {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}) {
      week.addObject()
          .put("dayOfWeek", day)
          .put("start", "08:00")
          .put("end", "12:00")
          .put("modality", "IN_PERSON");
      week.addObject()
          .put("dayOfWeek", day)
          .put("start", "13:00")
          .put("end", "18:00")
          .put("modality", "TELEHEALTH");
    }
    send("PUT", p + "/working-hours", key, week);
    JsonNode slots =
        send(
            "GET",
            p
                + "/availability?modality=TELEHEALTH&duration=50&step=60&from="
                + Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS),
            key,
            null);
    JsonNode first = slots.get("slots").get(0);
    ObjectNode booking =
        JSON.createObjectNode()
            .put("providerId", provider.id().toString())
            .put("start", first.get("start").asString())
            .put("end", first.get("end").asString())
            .put("timeZone", provider.timeZone().getId())
            .put("modality", "TELEHEALTH");
    booking.putArray("clientIds").add(client.toString());
    String booked = send("POST", base + "/api/v1/appointments", key, booking).get("id").asString();
    String later = clientLink(base, key, booked, client);
    int refused = status(later);
    System.out.println(
        "\n[demo] Telehealth: Dr. Chen's working hours are set (mornings in person, afternoons by"
            + " video). A client booked the first free video slot from\n  curl -s -H"
            + " \"Authorization: Bearer $KEY\" \""
            + p
            + "/availability?modality=TELEHEALTH&duration=50\"\n[demo] Their join link "
            + later
            + " answers "
            + refused
            + " (not open yet) until 15 minutes before "
            + first.get("start").asString());

    // A session about to start: booked outside her hours (force), its link opens the room.
    Instant soon = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
    ObjectNode now =
        JSON.createObjectNode()
            .put("providerId", provider.id().toString())
            .put("start", soon.toString())
            .put("end", soon.plus(Duration.ofMinutes(50)).toString())
            .put("timeZone", provider.timeZone().getId())
            .put("modality", "TELEHEALTH")
            .put("force", true);
    now.putArray("clientIds").add(client.toString());
    String imminent = send("POST", base + "/api/v1/appointments", key, now).get("id").asString();
    String link = clientLink(base, key, imminent, client);
    for (int i = 0; i < 120; i++) {
      HttpResponse<String> answer = get(link);
      if (answer.statusCode() == 302) {
        seen = new Seen(refused, answer.headers().firstValue("Location").orElse(""));
        System.out.println(
            "[demo] For a session starting at "
                + soon
                + " the client's link "
                + link
                + "\n       redirects (302) to the Zoom room: "
                + answer.headers().firstValue("Location").orElse("?")
                + "\n");
        return;
      }
      Thread.sleep(500); // the meeting is being made
    }
  }

  private String clientLink(String base, String key, String appointment, UUID client)
      throws IOException, InterruptedException {
    for (JsonNode l :
        send("GET", base + "/api/v1/appointments/" + appointment + "/join-links", key, null)) {
      if (l.get("participant").asString().equals("CLIENT")
          && l.get("id").asString().equals(client.toString())) {
        return l.get("url").asString();
      }
    }
    throw new IllegalStateException("no join link for the client");
  }

  private int status(String url) throws IOException, InterruptedException {
    return get(url).statusCode();
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode send(String method, String url, String key, @Nullable JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() / 100 != 2) {
      throw new IOException(
          method
              + " "
              + URI.create(url).getPath()
              + " → "
              + answer.statusCode()
              + ": "
              + answer.body());
    }
    return JSON.readTree(answer.body());
  }
}
