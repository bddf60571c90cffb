package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.connector.google.fake.GoogleFake;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider's Google calendar linked through the running hub against the in-process {@link
 * GoogleFake} (the contract properties point at it): one event per appointment with a
 * privacy-projected title, moved and removed with the appointment; the owner's move put back and
 * audited; the owner's own events stored as busy blocks; revoked consent parks the link.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + GoogleCalendarLinkTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:google-calendar-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.security.active-key-id=k1",
      "sessionbridge.google.client-id=" + GoogleCalendarLinkTest.CLIENT_ID,
      "sessionbridge.google.client-secret=" + GoogleCalendarLinkTest.CLIENT_SECRET,
      "sessionbridge.calendars.poll-interval=50ms",
      "sessionbridge.calendars.pull-check-interval=50ms",
      "sessionbridge.calendars.pull-interval=200ms",
      "sessionbridge.calendars.initial-backoff=200ms",
      "sessionbridge.calendars.max-backoff=1s",
      "sessionbridge.outbox.poll-interval=50ms",
      // no push channels here (GoogleCalendarChannelsTest has them): this test opens its own
      "sessionbridge.public-base-url=http://hub.example.org"
    })
class GoogleCalendarLinkTest {

  static final String OPERATOR = "google-calendar-operator-key-0123456789";
  static final String CLIENT_ID = "hub-client.apps.googleusercontent.com";
  static final String CLIENT_SECRET = "hub-client-secret";
  static final GoogleFake GOOGLE = GoogleFake.start(0);
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @LocalServerPort int port;

  @org.springframework.beans.factory.annotation.Autowired
  org.sessionbridge.core.calendar.CalendarStore calendars;

  HubClient hub;
  String key;
  String provider;
  String client;
  String email;

  @DynamicPropertySource
  static void google(DynamicPropertyRegistry registry) {
    GOOGLE.addClient(CLIENT_ID, CLIENT_SECRET);
    registry.add("sessionbridge.google.calendar-root-url", () -> GOOGLE.baseUrl() + "/");
    registry.add("sessionbridge.google.oauth-base-url", GOOGLE::baseUrl);
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    registry.add(
        "sessionbridge.security.encryption-keys.k1", () -> Base64.getEncoder().encodeToString(k));
  }

  @AfterAll
  static void stopGoogle() {
    GOOGLE.close();
  }

  @BeforeEach
  void practiceWithProvider() {
    hub = new HubClient(port);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Cal Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    email = "dr-" + UUID.randomUUID().toString().substring(0, 8) + "@clinic.example";
    GOOGLE.addUser(email);
    provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Park", "email", email, "timeZone", "America/Denver"))
            .json()
            .get("id")
            .asString();
    hub.grantTelehealth(key, provider);
    client =
        hub.post("/api/v1/clients", key, json("name", "Alex Client", "email", "alex@x.example"))
            .json()
            .get("id")
            .asString();
  }

  @Test
  void oneEventPerAppointmentFollowsItAndOwnerChangesArePutBack() throws Exception {
    String link = linkCalendar();
    String appointment =
        book("2030-03-06T10:00:00-07:00", "2030-03-06T10:50:00-07:00", "IN_PERSON");

    GoogleFake.StoredEvent event = awaitLiveEvent(appointment);
    assertThat(event.summary()).doesNotContain("Alex");
    assertThat(event.start()).isEqualTo(Instant.parse("2030-03-06T17:00:00Z"));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                hub.get("/api/v1/appointments/" + appointment, key)
                    .json()
                    .get("calendarEvents")
                    .get(0)
                    .get("state")
                    .asString(),
            "SYNCED"::equals);
    JsonNode view = hub.get("/api/v1/appointments/" + appointment, key).json();
    assertThat(view.get("calendarEvents").get(0).get("externalId").asString())
        .isEqualTo(event.id());
    assertThat(view.get("calendarEvents").get(0).get("kind").asString()).isEqualTo("GOOGLE");

    // Rescheduled: the same event moves.
    Answer moved =
        hub.patch(
            "/api/v1/appointments/" + appointment,
            key,
            json("start", "2030-03-06T11:00:00-07:00", "end", "2030-03-06T11:50:00-07:00"),
            java.util.Map.of());
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .until(
            () -> GOOGLE.event(email, event.id()).orElseThrow().start(),
            Instant.parse("2030-03-06T18:00:00Z")::equals);

    // The owner drags our event elsewhere: the pull finds it, the push puts it back.
    GOOGLE.userMovesEvent(
        email,
        event.id(),
        Instant.parse("2030-03-06T20:00:00Z"),
        Instant.parse("2030-03-06T20:50:00Z"));
    await().atMost(PATIENCE).until(() -> audit(appointment).contains("RESTORED"));
    await()
        .atMost(PATIENCE)
        .until(
            () -> GOOGLE.event(email, event.id()).orElseThrow().start(),
            Instant.parse("2030-03-06T18:00:00Z")::equals);
    assertThat(audit(appointment)).contains("CREATED", "MOVED_BY_OWNER");

    // The owner's own event becomes a busy block.
    String own =
        GOOGLE.userAddsEvent(
            email,
            "Dentist",
            Instant.parse("2030-03-07T15:00:00Z"),
            Instant.parse("2030-03-07T16:00:00Z"),
            false);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                hub.get("/api/v1/providers/" + provider + "/calendars/" + link + "/busy", key)
                    .body(),
            b -> b.contains(own));

    // Cancelled: the event is removed.
    assertThat(hub.post("/api/v1/appointments/" + appointment + "/cancel", key, "{}").status())
        .isEqualTo(200);
    await().atMost(PATIENCE).until(() -> GOOGLE.event(email, event.id()).orElseThrow().cancelled());
    await().atMost(PATIENCE).until(() -> audit(appointment).contains("REMOVED"));
    assertThat(liveEventsOf(appointment)).isEmpty();
    assertThat(
            GOOGLE.events(email).stream()
                .filter(
                    e -> appointment.equals(e.privateProperties().get("sessionbridgeAppointment")))
                .count())
        .isEqualTo(1);
  }

  @Test
  void sessionsBookedBeforeLinkingAreFilledInAndABusyOnlyCalendarGetsNone() throws Exception {
    String before = book("2030-04-02T09:00:00-07:00", "2030-04-02T09:50:00-07:00", "IN_PERSON");
    String cancelled = book("2030-04-03T09:00:00-07:00", "2030-04-03T09:50:00-07:00", "IN_PERSON");
    assertThat(hub.post("/api/v1/appointments/" + cancelled + "/cancel", key, null).status())
        .isEqualTo(200);
    String family = GOOGLE.addCalendar(email, "Family");
    String token = refreshToken();

    linkCalendar();
    Answer busyOnly =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json(
                "kind",
                "GOOGLE",
                "refreshToken",
                token,
                "calendarId",
                family,
                "receivesSessions",
                false));
    assertThat(busyOnly.status()).as(busyOnly.body()).isEqualTo(201);
    assertThat(busyOnly.json().get("receivesSessions").asBoolean()).isFalse();
    assertThat(busyOnly.json().get("busy").asBoolean()).isTrue();

    awaitLiveEvent(before);
    String after = book("2030-04-04T09:00:00-07:00", "2030-04-04T09:50:00-07:00", "IN_PERSON");
    awaitLiveEvent(after);
    assertThat(liveEventsOf(cancelled)).isEmpty();
    assertThat(GOOGLE.events(family)).isEmpty();

    // The same calendar twice would get every session twice.
    Answer again =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json("kind", "GOOGLE", "refreshToken", token, "calendarId", family));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("field").asString()).isEqualTo("calendarId");
    Answer neither =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json(
                "kind",
                "GOOGLE",
                "refreshToken",
                token,
                "calendarId",
                "other",
                "receivesSessions",
                false,
                "busy",
                false));
    assertThat(neither.status()).isEqualTo(400);
    assertThat(neither.json().get("field").asString()).isEqualTo("busy");
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json()).hasSize(2);
  }

  @Test
  void theLinkServicesJoinLinkReachesTheEvent() throws Exception {
    assertThat(
            hub.post(
                    "/api/v1/providers/" + provider + "/video-services",
                    key,
                    json("platform", "DOXY", "url", "https://doxy.me/dr-park"))
                .status())
        .isEqualTo(201);
    linkCalendar();
    String appointment = bookTelehealth("2030-04-06T10:00:00-07:00", "2030-04-06T10:50:00-07:00");
    GoogleFake.StoredEvent event = awaitLiveEvent(appointment);
    JsonNode wire = fetch(event.id());
    assertThat(wire.get("location").asString()).contains("https://doxy.me/dr-park");
    assertThat(wire.get("description").asString()).contains("https://doxy.me/dr-park");
  }

  @Test
  void aRefusedRefreshTokenIsAnsweredWithGooglesReasonAndNothingIsLinked() {
    Answer refused =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json("kind", "GOOGLE", "refreshToken", "not-a-token"));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("refreshToken").contains("invalid_grant");
    assertThat(refused.body()).doesNotContain("not-a-token");
    Answer missing =
        hub.post("/api/v1/providers/" + provider + "/calendars", key, json("kind", "OUTLOOK"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body()).contains("kind").contains("refreshToken");
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json().size()).isZero();
  }

  @Test
  void revokedConsentParksTheLinkUntilItIsLinkedAgain() throws Exception {
    String link = linkCalendar();
    GOOGLE.revokeUser(email);
    book("2030-05-06T10:00:00-07:00", "2030-05-06T10:50:00-07:00", "IN_PERSON");
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                hub.get("/api/v1/providers/" + provider + "/calendars", key)
                    .json()
                    .get(0)
                    .get("status")
                    .asString(),
            "NEEDS_REAUTHORIZATION"::equals);
    String appointment =
        book("2030-05-07T10:00:00-07:00", "2030-05-07T10:50:00-07:00", "IN_PERSON");
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                hub.get("/api/v1/appointments/" + appointment, key)
                    .json()
                    .get("calendarEvents")
                    .get(0)
                    .get("state")
                    .asString(),
            "PARKED"::equals);
    assertThat(liveEventsOf(appointment)).isEmpty();

    // Unlinking drops the link.
    assertThat(hub.delete("/api/v1/providers/" + provider + "/calendars/" + link, key).status())
        .isEqualTo(204);
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json().size()).isZero();
  }

  @Test
  void pushNotificationsOfAKnownChannelRequestAPullAndForgedOnesAreRefused() throws Exception {
    UUID link = UUID.fromString(linkCalendar());
    org.sessionbridge.core.calendar.CalendarStore.Channel channel = calendars.openChannel(link);
    long before = calendars.linkById(link).orElseThrow().pullSeq();

    assertThat(notify(channel.id(), channel.token()).statusCode()).isEqualTo(200);
    assertThat(calendars.linkById(link).orElseThrow().pullSeq()).isGreaterThan(before);
    assertThat(notify(channel.id(), channel.token() + "x").statusCode()).isEqualTo(401);
    assertThat(notify(channel.id(), null).statusCode()).isEqualTo(401);
    assertThat(notify(UUID.randomUUID().toString(), channel.token()).statusCode()).isEqualTo(404);
    // A new channel retires the old token.
    calendars.openChannel(link);
    assertThat(notify(channel.id(), channel.token()).statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> notify(
      String channelId, @org.jspecify.annotations.Nullable String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/google"))
            .header("X-Goog-Channel-ID", channelId)
            .header("X-Goog-Resource-State", "exists")
            .header("X-Goog-Message-Number", "2")
            .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("X-Goog-Channel-Token", token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String linkCalendar() throws Exception {
    Answer linked =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json("kind", "GOOGLE", "refreshToken", refreshToken(), "removal", "DELETE"));
    assertThat(linked.status()).as(linked.body()).isEqualTo(201);
    JsonNode body = linked.json();
    assertThat(body.get("calendarId").asString()).isEqualTo("primary");
    assertThat(body.get("status").asString()).isEqualTo("ACTIVE");
    assertThat(body.get("busy").asBoolean()).isTrue();
    assertThat(linked.body()).doesNotContain("refreshToken");
    return body.get("id").asString();
  }

  /** What a practice system holds after its own consent flow: a refresh token for the user. */
  private String refreshToken() {
    return GOOGLE.issueRefreshToken(CLIENT_ID, email);
  }

  private JsonNode fetch(String eventId) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            GOOGLE.baseUrl() + "/calendar/v3/calendars/primary/events/" + eventId))
                    .header("Authorization", "Bearer " + GOOGLE.issueAccessToken(email))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(answer.body());
  }

  private GoogleFake.StoredEvent awaitLiveEvent(String appointment) {
    List<GoogleFake.StoredEvent> live =
        await().atMost(PATIENCE).until(() -> liveEventsOf(appointment), l -> l.size() == 1);
    return live.get(0);
  }

  private List<GoogleFake.StoredEvent> liveEventsOf(String appointment) {
    List<GoogleFake.StoredEvent> live = new ArrayList<>();
    for (GoogleFake.StoredEvent e : GOOGLE.events(email)) {
      if (!e.cancelled()
          && !e.deleted()
          && appointment.equals(e.privateProperties().get("sessionbridgeAppointment"))) {
        live.add(e);
      }
    }
    return live;
  }

  private List<String> audit(String appointment) {
    JsonNode entries =
        hub.get("/api/v1/appointments/" + appointment + "/calendar-audit", key).json();
    List<String> actions = new ArrayList<>();
    entries.forEach(e -> actions.add(e.get("action").asString()));
    return actions;
  }

  private String book(String start, String end, String modality) {
    return hub.bookSession(key, provider, client, start, end, modality, null);
  }

  private String bookTelehealth(String start, String end) {
    return hub.bookSession(key, provider, client, start, end, "TELEHEALTH", "DOXY");
  }
}
