package org.sessionbridge.config.killtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.sessionbridge.connector.microsoft.fake.GraphFakeCalendars;
import org.sessionbridge.connector.microsoft.fake.GraphFakeEvent;
import org.sessionbridge.connector.microsoft.fake.GraphFakeSubscription;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole Microsoft 365 flow as a new operator would run it: the real jar ({@code java -jar
 * sessionbridge.jar}) on its embedded H2 default, pointed at the in-process {@link GraphFake} only
 * through the contract properties ({@code sessionbridge.microsoft.graph-base-url}, {@code
 * login-base-url}), the hub's delegated app ({@code client-id}/{@code client-secret}) and {@code
 * public-base-url} = the hub's own loopback port so that Graph subscriptions are opened. The
 * practice connects its tenant, a provider offers TEAMS and links their Outlook calendar with a
 * refresh token the practice holds (obtained with PKCE). Teams sessions each get exactly one online
 * meeting whose lobby admits only the organizer (no dial-in bypass), read back as ENFORCED, whose
 * join link is the one the API shows; a reschedule moves it, a cancel deletes it. The calendar ends
 * with exactly one event per appointment in its final state (no client name in the subject). An
 * event the provider adds in Outlook comes back as a busy block through Graph's change notification
 * alone (the polling fallback is 10 minutes). Then the hub is SIGKILLed in the middle of a burst of
 * Teams bookings while Graph answers slowly, and restarted: still exactly one meeting and one event
 * per appointment.
 */
class MicrosoftJarE2EIT {

  private static final String OPERATOR_KEY = "microsoft-e2e-operator-key-" + UUID.randomUUID();
  private static final String TENANT = "contoso-e2e";
  private static final String TEAMS_APP = "practice-teams-app-" + UUID.randomUUID();
  private static final String TEAMS_SECRET = "practice-teams-s3cret-" + UUID.randomUUID();
  private static final String HUB_APP = "hub-delegated-app-" + UUID.randomUUID();
  private static final String HUB_SECRET = "hub-delegated-s3cret-" + UUID.randomUUID();
  private static final String EMAIL = "dr.teams@contoso.example";
  private static final String CLIENT_NAME = "Robin Quillfeather";
  private static final String APPOINTMENT_PROPERTY = "sessionbridgeAppointment";
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Duration PATIENCE = Duration.ofSeconds(45);

  private final JsonMapper json = JsonMapper.builder().build();
  private HubHttp api;
  private String key;
  private String provider;
  private String client;

  /** What each appointment should look like at the end, in Teams and in Outlook. */
  private record Wanted(Instant start, Instant end, boolean teams, boolean cancelled) {}

  @Test
  void connectBookRescheduleCancelBusyTimeAndAKillNineLeaveOneMeetingAndOneEventPerAppointment(
      // Kept when the test fails: hub.log is there.
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDir) throws Exception {
    byte[] sealKey = new byte[32];
    new SecureRandom().nextBytes(sealKey);
    try (GraphFake graph = GraphFake.start(0)) {
      graph.addApp(TENANT, TEAMS_APP, TEAMS_SECRET).addDelegatedApp(HUB_APP, HUB_SECRET);
      String organizer = graph.addUser(TENANT, EMAIL);
      HubProcess hub =
          HubProcess.jar(
              dataDir,
              port ->
                  List.of(
                      "--sessionbridge.security.operator-key=" + OPERATOR_KEY,
                      "--sessionbridge.security.encryption-keys.main="
                          + Base64.getEncoder().encodeToString(sealKey),
                      "--sessionbridge.security.active-key-id=main",
                      "--sessionbridge.microsoft.graph-base-url=" + graph.graphBaseUrl(),
                      "--sessionbridge.microsoft.login-base-url=" + graph.baseUrl(),
                      "--sessionbridge.microsoft.client-id=" + HUB_APP,
                      "--sessionbridge.microsoft.client-secret=" + HUB_SECRET,
                      // Graph posts its notifications here (loopback http is allowed for tests).
                      "--sessionbridge.public-base-url=http://127.0.0.1:" + port,
                      "--sessionbridge.outbox.poll-interval=50ms",
                      "--sessionbridge.meetings.poll-interval=50ms",
                      // A SIGKILLed node's rows are taken over once their lease ran out.
                      "--sessionbridge.meetings.lease=30s",
                      "--sessionbridge.meetings.initial-backoff=200ms",
                      "--sessionbridge.meetings.max-backoff=1s",
                      "--sessionbridge.calendars.poll-interval=50ms",
                      "--sessionbridge.calendars.pull-check-interval=50ms",
                      // No polling within the test: busy time must come through a notification.
                      "--sessionbridge.calendars.pull-interval=10m",
                      "--sessionbridge.calendars.lease=30s",
                      "--sessionbridge.calendars.initial-backoff=200ms",
                      "--sessionbridge.calendars.max-backoff=1s"));
      try (HubProcess child = hub) {
        hub.start();
        api = new HubHttp(hub);
        setUpPractice();

        // 0. Connect the tenant, offer TEAMS, link the Outlook calendar.
        JsonNode connection =
            api.send(
                "PUT",
                "/api/v1/connections/microsoft",
                key,
                "{\"tenantId\":\""
                    + TENANT
                    + "\",\"clientId\":\""
                    + TEAMS_APP
                    + "\",\"clientSecret\":\""
                    + TEAMS_SECRET
                    + "\"}");
        assertThat(connection.get("status").asString()).isEqualTo("CONNECTED");
        assertThat(connection.toString()).doesNotContain(TEAMS_SECRET);
        api.send(
            "POST",
            "/api/v1/providers/" + provider + "/video-services",
            key,
            "{\"platform\":\"TEAMS\",\"joinInstructions\":\"Join from the Teams app.\"}");
        api.grantTelehealth(key, provider);
        String refreshToken = refreshToken(graph, organizer);
        JsonNode linked =
            api.send(
                "POST",
                "/api/v1/providers/" + provider + "/calendars",
                key,
                "{\"kind\":\"MICROSOFT\",\"refreshToken\":\"" + refreshToken + "\"}");
        assertThat(linked.get("status").asString()).isEqualTo("ACTIVE");
        assertThat(linked.get("removal").asString()).isEqualTo("DELETE");
        assertThat(linked.toString()).doesNotContain(refreshToken);
        String link = linked.get("id").asString();
        // The link gets a subscription, validated by the hub's echo of Graph's token.
        GraphFakeSubscription subscription =
            Awaitility.await()
                .atMost(PATIENCE)
                .until(() -> liveSubscriptions(graph), l -> l.size() == 1)
                .get(0);
        assertThat(subscription.notificationUrl())
            .isEqualTo("http://127.0.0.1:" + hub.port() + "/webhooks/microsoft");

        // 1. Book Teams and in-person sessions; reschedule one Teams session, cancel another.
        // Within Graph's sync window (a year ahead), so that the calendar view reports them.
        Instant day = Instant.now().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.DAYS);
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        String teams1 = book(day.plus(Duration.ofHours(8)), 50, true, wanted);
        String office1 = book(day.plus(Duration.ofHours(9)), 50, false, wanted);
        String teams2 = book(day.plus(Duration.ofHours(10)), 45, true, wanted);
        String teams3 = book(day.plus(Duration.ofHours(13)), 50, true, wanted);
        JsonNode first = api.awaitEnforced(teams1, key, PATIENCE);
        assertThat(first.get("platform").asString()).isEqualTo("TEAMS");
        GraphFake.Meeting meeting1 = meetingOf(graph, first);
        assertThat(meeting1.organizerId()).isEqualTo(organizer);
        assertThat(meeting1.lobbyScope()).isEqualTo("organizer");
        assertThat(meeting1.dialInBypass()).isFalse();
        assertThat(meeting1.allowedPresenters()).isEqualTo("organizer");
        assertThat(meeting1.subject()).doesNotContain("Robin").doesNotContain("Quillfeather");
        assertThat(meeting1.start()).isEqualTo(wanted.get(teams1).start());
        assertThat(meeting1.end()).isEqualTo(wanted.get(teams1).end());
        assertThat(first.get("joinUrl").asString()).isEqualTo(meeting1.joinWebUrl());
        GraphFake.Meeting meeting2 = meetingOf(graph, api.awaitEnforced(teams2, key, PATIENCE));
        GraphFake.Meeting meeting3 = meetingOf(graph, api.awaitEnforced(teams3, key, PATIENCE));
        awaitOutlook(graph, organizer, wanted);

        Instant moved = day.plus(Duration.ofDays(1)).plus(Duration.ofHours(14));
        api.send(
            "PATCH",
            "/api/v1/appointments/" + teams2,
            key,
            "{\"start\":\""
                + paris(moved)
                + "\",\"end\":\""
                + paris(moved.plus(Duration.ofMinutes(45)))
                + "\"}");
        wanted.put(teams2, new Wanted(moved, moved.plus(Duration.ofMinutes(45)), true, false));
        api.send("POST", "/api/v1/appointments/" + teams3 + "/cancel", key, "{}");
        wanted.put(teams3, cancelled(wanted.get(teams3)));
        Awaitility.await()
            .atMost(PATIENCE)
            .until(() -> graph.meeting(meeting2.id()).orElseThrow().start(), moved::equals);
        assertThat(graph.meeting(meeting2.id()).orElseThrow().end())
            .isEqualTo(moved.plus(Duration.ofMinutes(45)));
        assertThat(graph.meeting(meeting2.id()).orElseThrow().lobbyScope()).isEqualTo("organizer");
        Awaitility.await()
            .atMost(PATIENCE)
            .until(() -> graph.meeting(meeting3.id()).orElseThrow().deleted());
        assertThat(api.awaitEnforced(teams2, key, PATIENCE).get("joinUrl").asString())
            .as("a reschedule keeps the meeting and its link")
            .isEqualTo(meeting2.joinWebUrl());
        awaitOutlook(graph, organizer, wanted);
        assertThat(api.audit(teams2, key)).containsSubsequence("CREATED", "UPDATED");
        assertThat(api.audit(teams3, key)).containsSubsequence("CREATED", "DELETED");
        assertOneMeetingPerTeamsSession(graph, organizer, wanted);
        // A Teams session's Outlook event carries the session's join link, not a second meeting.
        JsonNode wire = fetchEvent(graph, organizer, eventOf(graph, organizer, teams1).id());
        assertThat(wire.path("location").path("displayName").asString(""))
            .contains(meeting1.joinWebUrl());
        assertThat(wire.path("isOnlineMeeting").asBoolean(false)).isFalse();
        assertThat(wire.path("sensitivity").asString("")).isEqualTo("private");

        // 2. The provider's own event becomes a busy block through Graph's notification alone.
        int deliveriesBefore = graph.deliveries().size();
        Instant dentist = day.plus(Duration.ofDays(3)).plus(Duration.ofHours(7));
        String own =
            graph.userAddsEvent(
                organizer, null, "Dentist", dentist, dentist.plus(Duration.ofHours(1)), "busy");
        graph.userAddsEvent(
            organizer,
            null,
            "Lunch (free)",
            dentist.plus(Duration.ofHours(3)),
            dentist.plus(Duration.ofHours(4)),
            "free");
        String busyPath = "/api/v1/providers/" + provider + "/calendars/" + link + "/busy";
        JsonNode busy =
            Awaitility.await()
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .until(
                    () -> api.get(busyPath, key),
                    b -> b.toString().contains("\"" + own + "\"") && b.size() >= 1);
        assertThat(busy.size()).as("only the provider's busy event: %s", busy).isOne();
        assertThat(Instant.parse(busy.get(0).get("start").asString())).isEqualTo(dentist);
        assertThat(Instant.parse(busy.get(0).get("end").asString()))
            .isEqualTo(dentist.plus(Duration.ofHours(1)));
        List<GraphFakeCalendars.Delivery> since =
            graph.deliveries().subList(deliveriesBefore, graph.deliveries().size());
        assertThat(since)
            .as("Graph's change notification reached the hub and was accepted")
            .anyMatch(
                d ->
                    d.kind().equals("change")
                        && d.subscriptionId().equals(subscription.id())
                        && d.status() / 100 == 2);

        // 3. A burst of Teams bookings while Graph is slow; SIGKILL with calls in flight.
        graph.latency(Duration.ofMillis(250));
        int createsBefore = graph.counts().meetingCreates();
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          burst.add(
              book(
                  day.plus(Duration.ofDays(5 + i / 5)).plus(Duration.ofHours(8 + i % 5)),
                  50,
                  true,
                  wanted));
        }
        Awaitility.await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> graph.counts().meetingCreates() >= createsBefore + 3);
        hub.kill();
        long killed = System.nanoTime();
        assertThat(graph.counts().meetingCreates())
            .as("killed while the burst was still being provisioned")
            .isLessThan(createsBefore + burst.size());
        graph.latency(Duration.ZERO);
        hub.start();
        burst.add(book(day.plus(Duration.ofDays(7)).plus(Duration.ofHours(8)), 50, true, wanted));
        burst.add(book(day.plus(Duration.ofDays(7)).plus(Duration.ofHours(9)), 50, false, wanted));
        for (Map.Entry<String, Wanted> e : wanted.entrySet()) {
          if (e.getValue().teams() && !e.getValue().cancelled()) {
            JsonNode telehealth = api.awaitEnforced(e.getKey(), key, PATIENCE);
            GraphFake.Meeting m = meetingOf(graph, telehealth);
            assertThat(telehealth.get("joinUrl").asString()).isEqualTo(m.joinWebUrl());
            assertThat(m.start()).as("meeting of %s", e.getKey()).isEqualTo(e.getValue().start());
            assertThat(m.lobbyScope()).isEqualTo("organizer");
            assertThat(m.dialInBypass()).isFalse();
          }
        }
        awaitOutlook(graph, organizer, wanted);
        awaitHubSynced(wanted.keySet());
        System.err.printf(
            "MicrosoftJarE2EIT: all synced %d ms after the SIGKILL%n",
            (System.nanoTime() - killed) / 1_000_000);

        // Nothing doubled: one meeting per Teams session, one event per appointment.
        assertOneMeetingPerTeamsSession(graph, organizer, wanted);
        Map<String, Long> perAppointment = new LinkedHashMap<>();
        for (GraphFakeEvent e : graph.events(organizer, null)) {
          String appointment = reference(e);
          if (appointment != null) {
            perAppointment.merge(appointment, 1L, Long::sum);
          }
        }
        assertThat(perAppointment.keySet()).containsExactlyInAnyOrderElementsOf(wanted.keySet());
        assertThat(perAppointment).allSatisfy((a, n) -> assertThat(n).as(a).isOne());

        // PHI and secrets stay out of the hub's log.
        String log = Files.readString(dataDir.resolve("hub.log"));
        assertThat(log)
            .doesNotContain(refreshToken)
            .doesNotContain(TEAMS_SECRET)
            .doesNotContain(HUB_SECRET)
            .doesNotContain("Quillfeather")
            .doesNotContain(meeting1.joinWebUrl());
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
                "{\"name\":\"Microsoft E2E\",\"timeZone\":\"Europe/Paris\"}")
            .get("apiKey")
            .asString();
    provider =
        api.send(
                "POST",
                "/api/v1/providers",
                key,
                "{\"name\":\"Dr. Teams\",\"email\":\""
                    + EMAIL
                    + "\",\"timeZone\":\"Europe/Paris\"}")
            .get("id")
            .asString();
    client =
        api.send(
                "POST",
                "/api/v1/clients",
                key,
                "{\"name\":\"" + CLIENT_NAME + "\",\"email\":\"robin@client.example\"}")
            .get("id")
            .asString();
  }

  private String book(Instant from, int minutes, boolean teams, Map<String, Wanted> wanted)
      throws Exception {
    Instant to = from.plus(Duration.ofMinutes(minutes));
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
                    + paris(from)
                    + "\",\"end\":\""
                    + paris(to)
                    + "\",\"timeZone\":\"Europe/Paris\",\"modality\":\""
                    + (teams ? "TELEHEALTH\",\"videoPlatform\":\"TEAMS\"" : "IN_PERSON\"")
                    + "}")
            .get("id")
            .asString();
    wanted.put(id, new Wanted(from, to, teams, false));
    return id;
  }

  private static OffsetDateTime paris(Instant t) {
    return t.atZone(PARIS).toOffsetDateTime();
  }

  private static Wanted cancelled(Wanted w) {
    return new Wanted(w.start(), w.end(), w.teams(), true);
  }

  private static List<GraphFakeSubscription> liveSubscriptions(GraphFake graph) {
    return graph.subscriptions().stream().filter(s -> !s.deleted()).toList();
  }

  /** The fake's meeting behind the API's {@code telehealth.meetingId} ({@code host/graphId}). */
  private static GraphFake.Meeting meetingOf(GraphFake graph, JsonNode telehealth) {
    String meetingId = telehealth.get("meetingId").asString();
    String graphId = meetingId.substring(meetingId.indexOf('/') + 1);
    return graph
        .meeting(graphId)
        .orElseThrow(() -> new AssertionError("no meeting " + graphId + " at the fake"));
  }

  /**
   * Exactly one online meeting at the fake per Teams session, made for it: the organizer's meetings
   * are exactly those the API names, cancelled sessions' meetings deleted, the others live.
   */
  private void assertOneMeetingPerTeamsSession(
      GraphFake graph, String organizer, Map<String, Wanted> wanted) throws Exception {
    Map<String, GraphFake.Meeting> byId = new LinkedHashMap<>();
    graph.meetings().stream()
        .filter(m -> m.organizerId().equals(organizer))
        .forEach(m -> byId.put(m.id(), m));
    Set<String> named = new HashSet<>();
    int teamsSessions = 0;
    for (Map.Entry<String, Wanted> e : wanted.entrySet()) {
      if (!e.getValue().teams()) {
        JsonNode telehealth = api.get("/api/v1/appointments/" + e.getKey(), key).get("telehealth");
        assertThat(telehealth == null || telehealth.isNull()).as("in person").isTrue();
        continue;
      }
      teamsSessions++;
      List<String> audit = api.audit(e.getKey(), key);
      assertThat(audit.stream().filter("CREATED"::equals).count())
          .as("meeting audit of %s: %s", e.getKey(), audit)
          .isOne();
      if (e.getValue().cancelled()) {
        continue; // its meeting was checked deleted; the API no longer names it
      }
      JsonNode telehealth = api.get("/api/v1/appointments/" + e.getKey(), key).get("telehealth");
      GraphFake.Meeting m = meetingOf(graph, telehealth);
      assertThat(m.deleted()).as("meeting of %s", e.getKey()).isFalse();
      assertThat(named.add(m.id())).as("meeting %s named twice", m.id()).isTrue();
    }
    assertThat(byId.values().stream().filter(m -> !m.deleted()).map(GraphFake.Meeting::id))
        .as("live meetings at the fake")
        .containsExactlyInAnyOrderElementsOf(named);
    assertThat(byId).as("meetings ever made for the organizer").hasSize(teamsSessions);
    assertThat(byId.values().stream().map(GraphFake.Meeting::externalId).distinct().count())
        .as("one meeting per reference")
        .isEqualTo(teamsSessions);
  }

  /**
   * Waits until the calendar holds, for every appointment, exactly one event of ours in the wanted
   * state: live at the wanted times, or deleted once cancelled.
   */
  private void awaitOutlook(GraphFake graph, String user, Map<String, Wanted> w) {
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, Wanted> e : w.entrySet()) {
                GraphFakeEvent event = eventOf(graph, user, e.getKey());
                Wanted want = e.getValue();
                if (want.cancelled()) {
                  assertThat(event.deleted()).as("%s deleted", event).isTrue();
                } else {
                  assertThat(event.deleted()).as("%s live", event).isFalse();
                  assertThat(event.start()).as("start of %s", event).isEqualTo(want.start());
                  assertThat(event.end()).as("end of %s", event).isEqualTo(want.end());
                  assertThat(event.transactionId()).isNotBlank();
                  assertThat(event.subject())
                      .doesNotContain("Robin")
                      .doesNotContain("Quillfeather");
                }
              }
            });
  }

  /** The one event of ours for the appointment (live or deleted); fails on none or several. */
  private static GraphFakeEvent eventOf(GraphFake graph, String user, String appointment) {
    List<GraphFakeEvent> ours =
        graph.events(user, null).stream().filter(e -> appointment.equals(reference(e))).toList();
    assertThat(ours).as("events of appointment %s", appointment).hasSize(1);
    return ours.get(0);
  }

  private static @Nullable String reference(GraphFakeEvent e) {
    return e.extendedProperties().entrySet().stream()
        .filter(p -> p.getKey().endsWith(APPOINTMENT_PROPERTY))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** Waits until the hub itself reports every appointment's event SYNCED (or REMOVED). */
  private void awaitHubSynced(Iterable<String> appointments) {
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (String appointment : appointments) {
                JsonNode events =
                    api.get("/api/v1/appointments/" + appointment, key).get("calendarEvents");
                assertThat(events.size()).as("calendar events of %s", appointment).isOne();
                JsonNode e = events.get(0);
                assertThat(e.get("kind").asString()).isEqualTo("MICROSOFT");
                assertThat(e.get("state").asString())
                    .as("%s of %s", e, appointment)
                    .isIn("SYNCED", "REMOVED");
              }
            });
  }

  /**
   * What the practice system holds after its own consent flow with the hub's app (authorization
   * code with PKCE S256): the provider's refresh token.
   */
  private static String refreshToken(GraphFake graph, String user) {
    return graph.issueRefreshToken(HUB_APP, user);
  }

  /** The event as Graph's API answers it to its owner (location, sensitivity). */
  private JsonNode fetchEvent(GraphFake graph, String user, String eventId) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(graph.graphBaseUrl() + "/me/events/" + eventId))
                    .header("Authorization", "Bearer " + graph.issueDelegatedToken(HUB_APP, user))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return json.readTree(answer.body());
  }
}
