package org.sessionbridge.config.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.connector.google.fake.GoogleFake;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's Google Calendar tour, against the in-process {@link GoogleFake}: Dr. Chen's calendar
 * is linked through the hub's own API as a practice system holding her refresh token would, her
 * sessions appear in it, her dentist appointment becomes a busy block, and a little later she drags
 * one session in Google Calendar and the hub puts it back (printed with the curl to see the
 * calendar audit). Sam Rivera is left for the operator to link through the consent flow and its
 * choice page.
 */
@Component
@Profile("demo")
final class DemoCalendarTour {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final GoogleFake google;
  private final CalendarStore calendars;
  private final PracticeStore practices;
  private final HttpClient http = HttpClient.newHttpClient();

  DemoCalendarTour(GoogleFake google, CalendarStore calendars, PracticeStore practices) {
    this.google = google;
    this.calendars = calendars;
    this.practices = practices;
  }

  /**
   * Links Dr. Chen's Google calendar through {@code POST /api/v1/providers/{id}/calendars} and
   * answers the link's id. Links of an earlier run pointed at that run's Google, which is gone with
   * it: they are unlinked first.
   */
  Optional<UUID> linkMaya(
      String base, String apiKey, UUID practiceId, Staff maya, String clientId) {
    for (Staff staff : practices.staff(practiceId)) {
      for (CalendarLink link : calendars.links(practiceId, staff.id())) {
        if (link.kind() == CalendarLink.Kind.GOOGLE) {
          calendars.unlink(practiceId, link.id());
        }
      }
    }
    try {
      // What a practice system holds after its own consent flow: her refresh token.
      String refreshToken = google.issueRefreshToken(clientId, DemoGoogle.MAYA);
      String body =
          JSON.writeValueAsString(
              JSON.createObjectNode()
                  .put("kind", "GOOGLE")
                  .put("refreshToken", refreshToken)
                  .put("removal", "DELETE"));
      JsonNode link =
          send(
              HttpRequest.newBuilder(
                      URI.create(base + "/api/v1/providers/" + maya.id() + "/calendars"))
                  .header("Authorization", "Bearer " + apiKey)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body)));
      return Optional.of(UUID.fromString(link.get("id").asString()));
    } catch (IOException | RuntimeException e) {
      System.out.println(
          "[demo] Linking Dr. Chen's demo Google calendar failed: " + e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * In the background: once her sessions are in Google and the dentist is a busy block, say so;
   * then drag one session an hour later in Google, as she might, and point at the audit.
   */
  void showTwoWaySync(String base, UUID link) {
    Thread provider =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 120; i++) {
                  Thread.sleep(500);
                  List<GoogleFake.StoredEvent> pushed = ours();
                  boolean busy = !calendars.busyBlocks(link).isEmpty();
                  if (pushed.isEmpty() || !busy) {
                    continue;
                  }
                  System.out.println(
                      "\n[demo] Google Calendar: "
                          + pushed.size()
                          + " of Dr. Chen's sessions are in her (demo) Google calendar, and her own"
                          + " 'Dentist' event is a busy block:\n  curl -s -H \"Authorization:"
                          + " Bearer $KEY\" "
                          + base
                          + "/api/v1/providers/"
                          + calendars.linkById(link).orElseThrow().providerId()
                          + "/calendars/"
                          + link
                          + "/busy\n");
                  Thread.sleep(4000);
                  dragOne(base, pushed.get(0));
                  return;
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-google-provider");
    provider.setDaemon(true);
    provider.start();
  }

  private void dragOne(String base, GoogleFake.StoredEvent event) {
    google.userMovesEvent(
        DemoGoogle.MAYA,
        event.id(),
        event.start().plus(Duration.ofHours(1)),
        event.end().plus(Duration.ofHours(1)));
    System.out.println(
        "\n[demo] Dr. Chen just dragged a session an hour later in Google Calendar.\n[demo] The"
            + " practice's schedule is the source of truth: the hub moves it back and records it;"
            + " see:\n  curl -s -H \"Authorization: Bearer $KEY\" "
            + base
            + "/api/v1/appointments/"
            + event.privateProperties().get("sessionbridgeAppointment")
            + "/calendar-audit\n");
  }

  /** Our events in Dr. Chen's calendar, as the demo Google holds them. */
  private List<GoogleFake.StoredEvent> ours() {
    return google.events(DemoGoogle.MAYA).stream()
        .filter(e -> !e.deleted() && !e.cancelled())
        .filter(e -> e.privateProperties().containsKey("sessionbridgeAppointment"))
        .toList();
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(
            request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() / 100 != 2) {
      throw new IOException("HTTP " + answer.statusCode() + ": " + answer.body());
    }
    return JSON.readTree(answer.body());
  }
}
