package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Teams meetings through the running hub against the in-process {@link GraphFake} (Graph's wire
 * format, API-NOTES §2): the practice connects its tenant (checked by a token, refused with
 * Microsoft's reason), a telehealth booking on TEAMS gets exactly one online meeting whose lobby
 * admits only the organizer, read back as ENFORCED; a reschedule moves it, an organizer who opens
 * the lobby has it closed again by the sweep (audited), a cancel deletes it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + TeamsMeetingLifecycleTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:teams-lifecycle-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.security.active-key-id=k1",
      "sessionbridge.meetings.poll-interval=50ms",
      "sessionbridge.meetings.sweep-interval=1s",
      "sessionbridge.meetings.sweep-horizon=4000d",
      "sessionbridge.meetings.initial-backoff=1s",
      "sessionbridge.meetings.max-backoff=2s",
      "sessionbridge.outbox.poll-interval=50ms"
    })
class TeamsMeetingLifecycleTest {

  static final String OPERATOR = "teams-lifecycle-operator-key-0123456789";
  static final String TENANT = "contoso-" + UUID.randomUUID();
  static final String CLIENT_ID = "teams-app-" + UUID.randomUUID();
  static final String SECRET = "teams-app-s3cret-" + UUID.randomUUID();
  static final GraphFake GRAPH = GraphFake.start(0).addApp(TENANT, CLIENT_ID, SECRET);
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @LocalServerPort int port;

  HubClient hub;
  String key;
  String provider;
  String client;
  String organizer;

  @DynamicPropertySource
  static void graph(DynamicPropertyRegistry registry) {
    registry.add("sessionbridge.microsoft.graph-base-url", GRAPH::graphBaseUrl);
    registry.add("sessionbridge.microsoft.login-base-url", GRAPH::baseUrl);
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    registry.add(
        "sessionbridge.security.encryption-keys.k1", () -> Base64.getEncoder().encodeToString(k));
  }

  @AfterAll
  static void stopGraph() {
    GRAPH.close();
  }

  @BeforeEach
  void practiceOnMicrosoft365() {
    hub = new HubClient(port);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Teams Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    String email = "dr-" + UUID.randomUUID().toString().substring(0, 8) + "@contoso.example";
    organizer = GRAPH.addUser(TENANT, email);
    provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Teams", "email", email, "timeZone", "Europe/Berlin"))
            .json()
            .get("id")
            .asString();
    client =
        hub.post("/api/v1/clients", key, json("name", "Alex Client", "email", "alex@x.example"))
            .json()
            .get("id")
            .asString();
    assertThat(
            hub.post(
                    "/api/v1/providers/" + provider + "/video-services",
                    key,
                    json("platform", "TEAMS", "joinInstructions", "Join from the Teams app."))
                .status())
        .isEqualTo(201);
    hub.grantTelehealth(key, provider);
  }

  @Test
  void refusedCredentialsAreAnsweredWithMicrosoftsReasonAndNothingIsStored() {
    Answer refused =
        hub.put(
            "/api/v1/connections/microsoft",
            key,
            json("tenantId", TENANT, "clientId", CLIENT_ID, "clientSecret", "wrong-secret"));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("field").asString()).isEqualTo("clientSecret");
    assertThat(refused.json().get("reason").asString()).contains("AADSTS");
    assertThat(refused.body()).doesNotContain("wrong-secret");
    assertThat(hub.get("/api/v1/connections/microsoft", key).status()).isEqualTo(404);
    Answer missing = hub.put("/api/v1/connections/microsoft", key, json("tenantId", TENANT));
    assertThat(missing.status()).isEqualTo(400);
  }

  @Test
  void aTeamsSessionGetsOneMeetingWithTheLobbyEnforcedThatFollowsTheAppointment() {
    connect();
    String appointment =
        hub.bookSession(
            key,
            provider,
            client,
            "2030-05-06T10:00:00+02:00",
            "2030-05-06T10:50:00+02:00",
            "TELEHEALTH",
            "TEAMS");

    JsonNode telehealth = awaitTelehealth(appointment, "ENFORCED");
    assertThat(telehealth.get("platform").asString()).isEqualTo("TEAMS");
    List<GraphFake.Meeting> live = liveMeetings();
    assertThat(live).hasSize(1);
    GraphFake.Meeting meeting = live.get(0);
    assertThat(meeting.organizerId()).isEqualTo(organizer);
    assertThat(meeting.lobbyScope()).isEqualTo("organizer");
    assertThat(meeting.dialInBypass()).isFalse();
    assertThat(meeting.subject()).doesNotContain("Alex");
    assertThat(meeting.start()).isEqualTo(Instant.parse("2030-05-06T08:00:00Z"));
    assertThat(telehealth.get("joinUrl").asString()).isEqualTo(meeting.joinWebUrl());

    // Reschedule: the same meeting moves.
    Answer moved =
        hub.patch(
            "/api/v1/appointments/" + appointment,
            key,
            json("start", "2030-05-07T11:00:00+02:00", "end", "2030-05-07T11:50:00+02:00"),
            Map.of());
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .until(
            () -> GRAPH.meeting(meeting.id()).orElseThrow().start(),
            Instant.parse("2030-05-07T09:00:00Z")::equals);
    assertThat(liveMeetings()).hasSize(1);

    // The organizer lets everyone in; the sweep closes the lobby again and says so.
    GRAPH.organizerOpensLobby(meeting.id());
    await()
        .atMost(PATIENCE)
        .until(() -> GRAPH.meeting(meeting.id()).orElseThrow().lobbyScope(), "organizer"::equals);
    JsonNode audit = hub.get("/api/v1/appointments/" + appointment + "/meeting-audit", key).json();
    assertThat(audit.toString()).contains("WAITING_ROOM");

    // Cancel: the meeting is deleted.
    assertThat(hub.post("/api/v1/appointments/" + appointment + "/cancel", key, null).status())
        .isEqualTo(200);
    await().atMost(PATIENCE).until(() -> GRAPH.meeting(meeting.id()).orElseThrow().deleted());
    assertThat(liveMeetings()).isEmpty();
  }

  private void connect() {
    Answer connected =
        hub.put(
            "/api/v1/connections/microsoft",
            key,
            json("tenantId", TENANT, "clientId", CLIENT_ID, "clientSecret", SECRET));
    assertThat(connected.status()).as(connected.body()).isEqualTo(200);
    assertThat(connected.json().get("status").asString()).isEqualTo("CONNECTED");
    assertThat(connected.body()).doesNotContain(SECRET);
  }

  private List<GraphFake.Meeting> liveMeetings() {
    return GRAPH.meetings().stream()
        .filter(m -> m.organizerId().equals(organizer) && !m.deleted())
        .toList();
  }

  private JsonNode awaitTelehealth(String appointment, String waitingRoom) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> hub.get("/api/v1/appointments/" + appointment, key).json().path("telehealth"),
            t -> waitingRoom.equals(t.path("waitingRoom").asString("")));
  }
}
