package org.sessionbridge.config.killtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessionbridge.connector.google.fake.GoogleFake;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole Google Calendar flow as a new operator would run it: the real jar ({@code java -jar
 * sessionbridge.jar}) on its embedded H2 default, pointed at the in-process {@link GoogleFake} only
 * through the contract properties ({@code sessionbridge.google.calendar-root-url}, {@code
 * oauth-base-url}, {@code client-id}/{@code client-secret}, and {@code public-base-url} for the
 * push channels). A provider's primary calendar (removal DELETE, busy time counted) and a second
 * one (MARK_CANCELLED, not counted) are linked with a refresh token the practice holds; sessions
 * are booked (telehealth on a link service and in person), one is rescheduled and one cancelled:
 * each calendar ends with exactly one event per appointment in its final state, titles without the
 * client's name, our reference in {@code extendedProperties.private}. An event the provider adds in
 * Google comes back as a busy block through Google's push notification alone (the polling fallback
 * is 10 minutes). Then the hub is SIGKILLed in the middle of a burst of bookings while Google
 * answers slowly, and restarted: still exactly one event per appointment.
 */
class GoogleJarE2EIT {

  private static final String OPERATOR_KEY = "google-e2e-operator-key-" + UUID.randomUUID();
  private static final String CLIENT_ID = "hub-e2e.apps.googleusercontent.com";
  private static final String CLIENT_SECRET = "hub-e2e-client-secret-" + UUID.randomUUID();
  private static final String EMAIL = "dr.cal@practice.example";
  private static final String CLIENT_NAME = "Robin Quillfeather";
  private static final String DOXY = "https://doxy.me/dr-cal-e2e";
  private static final String APPOINTMENT_PROPERTY = "sessionbridgeAppointment";
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final JsonMapper json = JsonMapper.builder().build();
  private HubHttp api;
  private String key;
  private String provider;
  private String client;

  /** What each appointment should look like in the calendars at the end. */
  private record Wanted(Instant start, Instant end, boolean telehealth, boolean cancelled) {}

  @Test
  void linkBookRescheduleCancelBusyTimeAndAKillNineLeaveExactlyOneEventPerAppointment(
      @TempDir Path dataDir) throws Exception {
    byte[] sealKey = new byte[32];
    new SecureRandom().nextBytes(sealKey);
    try (GoogleFake google = GoogleFake.start(0)) {
      google.addClient(CLIENT_ID, CLIENT_SECRET).addUser(EMAIL, PARIS);
      String second = google.addCalendar(EMAIL, "Practice sessions", PARIS);
      HubProcess hub =
          HubProcess.jar(
              dataDir,
              port ->
                  List.of(
                      "--sessionbridge.security.operator-key=" + OPERATOR_KEY,
                      "--sessionbridge.security.encryption-keys.main="
                          + Base64.getEncoder().encodeToString(sealKey),
                      "--sessionbridge.security.active-key-id=main",
                      "--sessionbridge.google.calendar-root-url=" + google.baseUrl() + "/",
                      "--sessionbridge.google.oauth-base-url=" + google.baseUrl(),
                      "--sessionbridge.google.client-id=" + CLIENT_ID,
                      "--sessionbridge.google.client-secret=" + CLIENT_SECRET,
                      // Google posts its notifications here (loopback http is allowed for tests).
                      "--sessionbridge.public-base-url=http://127.0.0.1:" + port,
                      "--sessionbridge.outbox.poll-interval=50ms",
                      "--sessionbridge.calendars.poll-interval=50ms",
                      "--sessionbridge.calendars.pull-check-interval=50ms",
                      // No polling within the test: busy time must come through a push.
                      "--sessionbridge.calendars.pull-interval=10m",
                      "--sessionbridge.calendars.lease=30s",
                      "--sessionbridge.calendars.initial-backoff=200ms",
                      "--sessionbridge.calendars.max-backoff=1s"));
      try (HubProcess child = hub) {
        hub.start();
        api = new HubHttp(hub);
        setUpPractice();
        String refreshToken = refreshToken(google);

        String primaryLink = link(refreshToken, null, true, "DELETE");
        String secondLink = link(refreshToken, second, false, "MARK_CANCELLED");
        // Both links get a push channel, and Google's first ("sync") message is accepted.
        Awaitility.await().atMost(PATIENCE).until(() -> google.liveChannels() == 2);
        Awaitility.await()
            .atMost(PATIENCE)
            .until(
                () ->
                    google.pushDeliveries().stream()
                            .filter(d -> d.state().equals("sync") && d.status() == 200)
                            .count()
                        == 2);

        // 1. Book, then reschedule one and cancel one once their events exist.
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        String video1 = book("2030-06-03T10:00:00+02:00", 50, true, wanted);
        String office1 = book("2030-06-03T11:00:00+02:00", 50, false, wanted);
        String video2 = book("2030-06-04T09:00:00+02:00", 45, true, wanted);
        String office2 = book("2030-06-04T14:00:00+02:00", 50, false, wanted);
        awaitCalendars(google, List.of(EMAIL, second), wanted);

        api.send(
            "PATCH",
            "/api/v1/appointments/" + office1,
            key,
            "{\"start\":\"2030-06-05T15:00:00+02:00\",\"end\":\"2030-06-05T15:50:00+02:00\"}");
        wanted.put(
            office1,
            new Wanted(
                Instant.parse("2030-06-05T13:00:00Z"),
                Instant.parse("2030-06-05T13:50:00Z"),
                false,
                false));
        api.send("POST", "/api/v1/appointments/" + office2 + "/cancel", key, "{}");
        wanted.put(office2, cancelled(wanted.get(office2)));
        awaitCalendars(google, List.of(EMAIL, second), wanted);
        awaitHubSynced(wanted.keySet());

        GoogleFake.Counts counts = google.counts();
        assertThat(counts.inserts()).as("one insert per appointment and calendar").isEqualTo(8);
        assertThat(counts.deletes()).as("the cancelled session, deleted from primary").isEqualTo(1);
        assertThat(counts.patches()).as("marked cancelled in the second calendar").isEqualTo(1);
        for (String appointment : List.of(video1, office1, video2, office2)) {
          List<String> audit = calendarAudit(appointment);
          assertThat(audit.stream().filter("CREATED"::equals).count())
              .as("audit of %s: %s", appointment, audit)
              .isEqualTo(2);
        }
        assertThat(calendarAudit(office1)).containsOnly("CREATED", "UPDATED");
        assertThat(calendarAudit(office2)).containsOnly("CREATED", "REMOVED");
        assertThat(calendarAudit(video1)).containsOnly("CREATED");
        for (String telehealth : List.of(video1, video2)) {
          JsonNode wire = fetchEvent(google, EMAIL, eventOf(google, EMAIL, telehealth).id());
          assertThat(wire.path("location").asString("")).isEqualTo(DOXY);
          assertThat(wire.path("description").asString("")).contains(DOXY);
        }
        JsonNode inPerson = fetchEvent(google, EMAIL, eventOf(google, EMAIL, office1).id());
        assertThat(inPerson.path("location").asString("")).doesNotContain("doxy");
        assertThat(inPerson.path("visibility").asString("")).isEqualTo("private");

        // 2. The provider's own events: the busy one becomes a busy block through the push.
        int pushesBefore = google.pushDeliveries().size();
        Instant dentist = Instant.parse("2030-06-06T08:00:00Z");
        String own =
            google.userAddsEvent(EMAIL, "Dentist", dentist, dentist.plusSeconds(3600), false);
        google.userAddsEvent(
            EMAIL, "Gym (free)", dentist.plusSeconds(7200), dentist.plusSeconds(9000), true);
        google.userAddsEvent(
            second, "Elsewhere", dentist.plusSeconds(14400), dentist.plusSeconds(18000), false);
        String busyPath = "/api/v1/providers/" + provider + "/calendars/" + primaryLink + "/busy";
        JsonNode busy =
            Awaitility.await()
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> api.get(busyPath, key), b -> b.size() > 0);
        assertThat(busy.size()).as("only the provider's opaque event is busy: %s", busy).isOne();
        assertThat(busy.get(0).get("externalId").asString()).isEqualTo(own);
        assertThat(Instant.parse(busy.get(0).get("start").asString())).isEqualTo(dentist);
        assertThat(Instant.parse(busy.get(0).get("end").asString()))
            .isEqualTo(dentist.plusSeconds(3600));
        assertThat(google.pushDeliveries().subList(pushesBefore, google.pushDeliveries().size()))
            .as("Google's notifications of the change reached the hub")
            .anyMatch(d -> d.state().equals("exists") && d.status() == 200);
        assertThat(
                api.get(
                    "/api/v1/providers/" + provider + "/calendars/" + secondLink + "/busy", key))
            .as("the second calendar does not count as busy")
            .isEmpty();

        // 3. A burst of bookings while Google is slow; the hub is SIGKILLed with calls in flight.
        google.latency(Duration.ofMillis(200));
        int insertsBefore = google.counts().inserts();
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          burst.add(
              book(
                  String.format("2030-07-%02dT%02d:00:00+02:00", 1 + i / 5, 8 + i % 5),
                  50,
                  i % 2 == 0,
                  wanted));
        }
        Awaitility.await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> google.counts().inserts() >= insertsBefore + 4);
        hub.kill();
        assertThat(google.counts().inserts())
            .as("killed while the burst was still being pushed")
            .isLessThan(insertsBefore + 2 * burst.size());
        google.latency(Duration.ZERO);
        hub.start();
        burst.add(book("2030-07-03T08:00:00+02:00", 50, true, wanted));
        burst.add(book("2030-07-03T09:00:00+02:00", 50, false, wanted));
        awaitCalendars(google, List.of(EMAIL, second), wanted);
        awaitHubSynced(wanted.keySet());

        // Nothing doubled: every event of ours in either calendar belongs to one appointment.
        for (String calendar : List.of(EMAIL, second)) {
          Map<String, Long> perAppointment = new LinkedHashMap<>();
          for (GoogleFake.StoredEvent e : google.events(calendar)) {
            String appointment = e.privateProperties().get(APPOINTMENT_PROPERTY);
            if (appointment != null) {
              perAppointment.merge(appointment, 1L, Long::sum);
            }
          }
          assertThat(perAppointment.keySet()).containsExactlyInAnyOrderElementsOf(wanted.keySet());
          assertThat(perAppointment).allSatisfy((a, n) -> assertThat(n).as(a).isOne());
        }

        // PHI and secrets stay out of the hub's log.
        String log = Files.readString(dataDir.resolve("hub.log"));
        assertThat(log)
            .doesNotContain(refreshToken)
            .doesNotContain(CLIENT_SECRET)
            .doesNotContain("Quillfeather")
            .doesNotContain(DOXY);
        hub.stop();
      }
    }
  }

  private void setUpPractice() throws Exception {
    key =
        api.send(
                "POST",
                "/api/v1/practices",
                OPERATOR_KEY,
                "{\"name\":\"Google E2E\",\"timeZone\":\"Europe/Paris\"}")
            .get("apiKey")
            .asString();
    provider =
        api.send(
                "POST",
                "/api/v1/providers",
                key,
                "{\"name\":\"Dr. Cal\",\"email\":\"" + EMAIL + "\",\"timeZone\":\"Europe/Paris\"}")
            .get("id")
            .asString();
    api.grantTelehealth(key, provider);
    client =
        api.send(
                "POST",
                "/api/v1/clients",
                key,
                "{\"name\":\"" + CLIENT_NAME + "\",\"email\":\"robin@client.example\"}")
            .get("id")
            .asString();
    api.send(
        "POST",
        "/api/v1/providers/" + provider + "/video-services",
        key,
        "{\"platform\":\"DOXY\",\"url\":\"" + DOXY + "\"}");
  }

  /** Links one of the provider's Google calendars; answers the link's id. */
  private String link(
      String refreshToken, @Nullable String calendarId, boolean busy, String removal)
      throws Exception {
    JsonNode linked =
        api.send(
            "POST",
            "/api/v1/providers/" + provider + "/calendars",
            key,
            "{\"kind\":\"GOOGLE\",\"refreshToken\":\""
                + refreshToken
                + "\""
                + (calendarId == null ? "" : ",\"calendarId\":\"" + calendarId + "\"")
                + ",\"busy\":"
                + busy
                + ",\"removal\":\""
                + removal
                + "\"}");
    assertThat(linked.get("status").asString()).isEqualTo("ACTIVE");
    assertThat(linked.get("calendarId").asString())
        .isEqualTo(calendarId == null ? "primary" : calendarId);
    assertThat(linked.get("removal").asString()).isEqualTo(removal);
    assertThat(linked.toString()).doesNotContain(refreshToken);
    return linked.get("id").asString();
  }

  private String book(String start, int minutes, boolean telehealth, Map<String, Wanted> wanted)
      throws Exception {
    Instant from = java.time.OffsetDateTime.parse(start).toInstant();
    Instant to = from.plusSeconds(60L * minutes);
    String id =
        api.send(
                "POST",
                "/api/v1/appointments",
                key,
                "{\"providerId\":\""
                    + provider
                    + "\",\"clientIds\":[\""
                    + client
                    + "\"],\"start\":\""
                    + start
                    + "\",\"end\":\""
                    + to.atZone(PARIS).toOffsetDateTime()
                    + "\",\"timeZone\":\"Europe/Paris\",\"modality\":\""
                    + (telehealth ? "TELEHEALTH\",\"videoPlatform\":\"DOXY\"" : "IN_PERSON\"")
                    + "}")
            .get("id")
            .asString();
    wanted.put(id, new Wanted(from, to, telehealth, false));
    return id;
  }

  private static Wanted cancelled(Wanted w) {
    return new Wanted(w.start(), w.end(), w.telehealth(), true);
  }

  /**
   * Waits until each calendar holds, for every appointment, exactly one event of ours in the wanted
   * state: live at the wanted times, or cancelled (deleted from primary, marked cancelled in the
   * second calendar).
   */
  private void awaitCalendars(GoogleFake google, List<String> calendars, Map<String, Wanted> w) {
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (String calendar : calendars) {
                boolean primary = calendar.equals(EMAIL);
                for (Map.Entry<String, Wanted> e : w.entrySet()) {
                  GoogleFake.StoredEvent event = eventOf(google, calendar, e.getKey());
                  Wanted want = e.getValue();
                  if (want.cancelled()) {
                    assertThat(event.cancelled()).as("%s cancelled", event).isTrue();
                    assertThat(event.deleted()).as("%s deleted", event).isEqualTo(primary);
                  } else {
                    assertThat(event.cancelled()).as("%s live", event).isFalse();
                    assertThat(event.start()).as("start of %s", event).isEqualTo(want.start());
                    assertThat(event.end()).as("end of %s", event).isEqualTo(want.end());
                    assertThat(event.summary())
                        .startsWith(want.telehealth() ? "Video session" : "Session")
                        .doesNotContain("Robin")
                        .doesNotContain("Quillfeather");
                  }
                }
              }
            });
  }

  /** The one event of ours for the appointment in the calendar; fails on none or several. */
  private static GoogleFake.StoredEvent eventOf(
      GoogleFake google, String calendar, String appointment) {
    List<GoogleFake.StoredEvent> ours =
        google.events(calendar).stream()
            .filter(e -> appointment.equals(e.privateProperties().get(APPOINTMENT_PROPERTY)))
            .toList();
    assertThat(ours).as("events of appointment %s in %s", appointment, calendar).hasSize(1);
    return ours.get(0);
  }

  /** Waits until the hub itself reports every appointment's events SYNCED (or REMOVED). */
  private void awaitHubSynced(Iterable<String> appointments) {
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (String appointment : appointments) {
                JsonNode events =
                    api.get("/api/v1/appointments/" + appointment, key).get("calendarEvents");
                assertThat(events.size()).as("calendar events of %s", appointment).isEqualTo(2);
                for (JsonNode e : events) {
                  assertThat(e.get("kind").asString()).isEqualTo("GOOGLE");
                  assertThat(e.get("state").asString())
                      .as("%s of %s", e, appointment)
                      .isIn("SYNCED", "REMOVED");
                }
              }
            });
  }

  private List<String> calendarAudit(String appointment) throws Exception {
    List<String> actions = new ArrayList<>();
    api.get("/api/v1/appointments/" + appointment + "/calendar-audit", key)
        .forEach(e -> actions.add(e.get("action").asString()));
    return actions;
  }

  /** What the practice system holds after its own consent flow: the provider's refresh token. */
  private String refreshToken(GoogleFake google) {
    return google.issueRefreshToken(CLIENT_ID, EMAIL);
  }

  /** The event as Google's API answers it (location, description, visibility). */
  private JsonNode fetchEvent(GoogleFake google, String calendar, String eventId) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            google.baseUrl()
                                + "/calendar/v3/calendars/"
                                + URLEncoder.encode(calendar, StandardCharsets.UTF_8)
                                + "/events/"
                                + eventId))
                    .header("Authorization", "Bearer " + google.issueAccessToken(EMAIL))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    return json.readTree(answer.body());
  }
}
