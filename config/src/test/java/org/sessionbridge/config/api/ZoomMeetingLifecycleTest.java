package org.sessionbridge.config.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.core.meeting.MeetingReference;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The meeting lifecycle through the running hub against Zoom emulated at the socket (WireMock, wire
 * format of API-NOTES §1): a telehealth booking gets exactly one meeting with the waiting room read
 * back; a create whose answer is lost is found again by its reference instead of made twice;
 * reschedule patches, cancel deletes; a signed webhook about a waiting room turned off gets it put
 * back and audited, while forged, stale and replayed webhooks are refused or ignored; refused
 * credentials park the meeting until the practice reconnects.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + ZoomMeetingLifecycleTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:zoom-lifecycle-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.security.active-key-id=k1",
      "sessionbridge.zoom.webhook-secret-token=" + ZoomMeetingLifecycleTest.WEBHOOK_SECRET,
      "sessionbridge.meetings.poll-interval=50ms",
      "sessionbridge.meetings.initial-backoff=1s",
      "sessionbridge.meetings.max-backoff=2s",
      "sessionbridge.outbox.poll-interval=50ms"
    })
class ZoomMeetingLifecycleTest {

  static final String OPERATOR = "zoom-lifecycle-operator-key-0123456789";
  static final String WEBHOOK_SECRET = "webhook-secret-token-for-tests";
  static final WireMockServer ZOOM = new WireMockServer(wireMockConfig().dynamicPort());
  static final AtomicLong MEETING_IDS = new AtomicLong(85_746_065_432L);
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @LocalServerPort int port;

  HubClient hub;
  String key;
  String provider;
  String client;
  String hostPath;

  @DynamicPropertySource
  static void zoom(DynamicPropertyRegistry registry) {
    if (!ZOOM.isRunning()) {
      ZOOM.start();
    }
    registry.add("sessionbridge.zoom.oauth-base-url", ZOOM::baseUrl);
    registry.add("sessionbridge.zoom.api-base-url", () -> ZOOM.baseUrl() + "/v2");
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    registry.add(
        "sessionbridge.security.encryption-keys.k1", () -> Base64.getEncoder().encodeToString(k));
  }

  @AfterAll
  static void stopZoom() {
    ZOOM.stop();
  }

  @BeforeEach
  void connectedPractice() {
    ZOOM.resetAll();
    stubToken();
    hub = new HubClient(port);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Zoom Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    String email = "dr-" + UUID.randomUUID().toString().substring(0, 8) + "@clinic.example";
    hostPath = "/v2/users/" + email + "/meetings";
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
    assertThat(
            hub.post(
                    "/api/v1/providers/" + provider + "/video-services",
                    key,
                    json("platform", "ZOOM", "joinInstructions", "Test your audio first."))
                .status())
        .isEqualTo(201);
    Answer connected =
        hub.put(
            "/api/v1/connections/zoom",
            key,
            json("accountId", "acc-1", "clientId", "client-1", "clientSecret", "s3cret"));
    assertThat(connected.status()).as(connected.body()).isEqualTo(200);
  }

  @Test
  void telehealthBookingGetsExactlyOneMeetingWithTheWaitingRoomReadBack() {
    long id = MEETING_IDS.incrementAndGet();
    ZOOM.stubFor(
        post(urlPathEqualTo(hostPath))
            .willReturn(zoomJson(201, meeting(id, "2030-03-04T17:00:00Z", 50, true))));
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .willReturn(zoomJson(200, meeting(id, "2030-03-04T17:00:00Z", 50, true))));

    String appointment = bookTelehealth("2030-03-04T10:00:00-07:00", "2030-03-04T10:50:00-07:00");

    JsonNode telehealth = awaitTelehealth(appointment, "ENFORCED");
    assertThat(telehealth.get("meetingId").asString()).isEqualTo(Long.toString(id));
    assertThat(telehealth.get("joinUrl").asString()).isEqualTo(joinUrl(id));
    ZOOM.verify(
        1,
        postRequestedFor(urlPathEqualTo(hostPath))
            .withRequestBody(matchingJsonPath("$.settings.waiting_room", containing("true")))
            .withRequestBody(matchingJsonPath("$.settings.join_before_host", containing("false")))
            .withRequestBody(matchingJsonPath("$.type", containing("2")))
            .withRequestBody(matchingJsonPath("$.timezone", containing("America/Denver")))
            .withRequestBody(matchingJsonPath("$.start_time", containing("2030-03-04T10:00:00")))
            .withRequestBody(matchingJsonPath("$.duration", containing("50"))));
    String sent = ZOOM.findAll(postRequestedFor(urlPathEqualTo(hostPath))).get(0).getBodyAsString();
    assertThat(sent)
        .contains(MeetingReference.of(UUID.fromString(appointment)))
        .doesNotContain("Alex")
        .doesNotContain("Client");
    assertThat(audit(appointment)).containsExactly("CREATED");
    // The client's invitation carries their time-boxed join link, not the meeting's URL itself
    // (docs/JOIN-LINKS.md); the API shows the meeting's link to the practice.
    assertThat(hub.get("/api/v1/appointments/" + appointment + "/invite.ics", key).body())
        .contains("/join/")
        .doesNotContain("zoom.example/j/" + id);
  }

  @Test
  void aCreateWhoseAnswerIsLostIsFoundAgainByItsReferenceNotMadeTwice() {
    long id = MEETING_IDS.incrementAndGet();
    // Zoom creates the meeting, then the connection drops before the answer arrives.
    ZOOM.stubFor(
        post(urlPathEqualTo(hostPath))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("created"));
    ZOOM.stubFor(
        post(urlPathEqualTo(hostPath))
            .inScenario("lost")
            .whenScenarioStateIs("created")
            .willReturn(zoomJson(201, meeting(id + 1, "2030-03-05T17:00:00Z", 50, true))));
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .willReturn(zoomJson(200, meeting(id, "2030-03-05T17:00:00Z", 50, true))));

    String appointment = bookTelehealth("2030-03-05T10:00:00-07:00", "2030-03-05T10:50:00-07:00");
    String reference = MeetingReference.of(UUID.fromString(appointment));
    // What Zoom now lists for the host: the meeting the lost create made, tagged with our
    // reference.
    ZOOM.stubFor(
        get(urlPathEqualTo(hostPath))
            .willReturn(
                zoomJson(
                    200,
                    "{\"page_size\":300,\"total_records\":1,\"next_page_token\":\"\",\"meetings\":["
                        + summary(id, "Telehealth session (" + reference + ")")
                        + "]}")));

    JsonNode telehealth = awaitTelehealth(appointment, "ENFORCED");

    assertThat(telehealth.get("meetingId").asString()).isEqualTo(Long.toString(id));
    ZOOM.verify(1, postRequestedFor(urlPathEqualTo(hostPath)));
    assertThat(audit(appointment)).containsExactly("ADOPTED");
  }

  @Test
  void rescheduleIsPatchedAndCancelDeletes() {
    long id = MEETING_IDS.incrementAndGet();
    ZOOM.stubFor(
        post(urlPathEqualTo(hostPath))
            .willReturn(zoomJson(201, meeting(id, "2030-03-06T17:00:00Z", 50, true))));
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .inScenario("moved")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(zoomJson(200, meeting(id, "2030-03-06T17:00:00Z", 50, true))));
    ZOOM.stubFor(
        patch(urlPathEqualTo("/v2/meetings/" + id))
            .inScenario("moved")
            .willReturn(aResponse().withStatus(204))
            .willSetStateTo("patched"));
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .inScenario("moved")
            .whenScenarioStateIs("patched")
            .willReturn(zoomJson(200, meeting(id, "2030-03-06T18:00:00Z", 50, true))));
    ZOOM.stubFor(
        delete(urlPathEqualTo("/v2/meetings/" + id)).willReturn(aResponse().withStatus(204)));

    String appointment = bookTelehealth("2030-03-06T10:00:00-07:00", "2030-03-06T10:50:00-07:00");
    awaitTelehealth(appointment, "ENFORCED");

    Answer moved =
        hub.patch(
            "/api/v1/appointments/" + appointment,
            key,
            json("start", "2030-03-06T11:00:00-07:00", "end", "2030-03-06T11:50:00-07:00"),
            java.util.Map.of());
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                ZOOM.verify(
                    1,
                    patchRequestedFor(urlPathEqualTo("/v2/meetings/" + id))
                        .withRequestBody(
                            matchingJsonPath("$.start_time", containing("2030-03-06T11:00:00")))
                        .withRequestBody(
                            matchingJsonPath("$.settings.waiting_room", containing("true")))));
    await().atMost(PATIENCE).until(() -> audit(appointment).contains("UPDATED"));

    assertThat(hub.post("/api/v1/appointments/" + appointment + "/cancel", key, "{}").status())
        .isEqualTo(200);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> ZOOM.verify(1, deleteRequestedFor(urlPathEqualTo("/v2/meetings/" + id))));
    await().atMost(PATIENCE).until(() -> audit(appointment).contains("DELETED"));
    ZOOM.verify(1, postRequestedFor(urlPathEqualTo(hostPath)));
  }

  @Test
  void aWaitingRoomTurnedOffIsPutBackAfterASignedWebhookAndForgeriesAreRefused() throws Exception {
    long id = MEETING_IDS.incrementAndGet();
    ZOOM.stubFor(
        post(urlPathEqualTo(hostPath))
            .willReturn(zoomJson(201, meeting(id, "2030-03-07T17:00:00Z", 50, true))));
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .inScenario("drift")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(zoomJson(200, meeting(id, "2030-03-07T17:00:00Z", 50, true))));
    String appointment = bookTelehealth("2030-03-07T10:00:00-07:00", "2030-03-07T10:50:00-07:00");
    awaitTelehealth(appointment, "ENFORCED");

    // The host turns the waiting room off in Zoom's portal.
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .inScenario("drift")
            .whenScenarioStateIs("off")
            .willReturn(zoomJson(200, meeting(id, "2030-03-07T17:00:00Z", 50, false))));
    ZOOM.stubFor(
        patch(urlPathEqualTo("/v2/meetings/" + id))
            .inScenario("drift")
            .willReturn(aResponse().withStatus(204))
            .willSetStateTo("repaired"));
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .inScenario("drift")
            .whenScenarioStateIs("repaired")
            .willReturn(zoomJson(200, meeting(id, "2030-03-07T17:00:00Z", 50, true))));
    ZOOM.setScenarioState("drift", "off");
    String event =
        "{\"event\":\"meeting.updated\",\"event_ts\":"
            + System.currentTimeMillis()
            + ",\"payload\":{\"account_id\":\"acc-1\",\"operator\":\"dr@clinic.example\","
            + "\"object\":{\"id\":"
            + id
            + ",\"settings\":{\"waiting_room\":false}},"
            + "\"old_object\":{\"id\":"
            + id
            + ",\"settings\":{\"waiting_room\":true}}}}";
    String now = Long.toString(Instant.now().getEpochSecond());

    assertThat(webhook(event, now, "v0=" + "0".repeat(64)).statusCode()).isEqualTo(401);
    String stale = Long.toString(Instant.now().minusSeconds(600).getEpochSecond());
    assertThat(webhook(event, stale, sign(stale, event)).statusCode()).isEqualTo(401);
    ZOOM.verify(0, patchRequestedFor(urlPathEqualTo("/v2/meetings/" + id)));

    long before = System.nanoTime();
    HttpResponse<String> accepted = webhook(event, now, sign(now, event));
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));
    assertThat(accepted.body()).contains("accepted");
    HttpResponse<String> replay = webhook(event, now, sign(now, event));
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.body()).contains("duplicate");

    await().atMost(PATIENCE).until(() -> audit(appointment).contains("WAITING_ROOM_REPAIRED"));
    ZOOM.verify(
        1,
        patchRequestedFor(urlPathEqualTo("/v2/meetings/" + id))
            .withRequestBody(matchingJsonPath("$.settings.waiting_room", containing("true")))
            .withRequestBody(matchingJsonPath("$.settings.join_before_host", containing("false"))));
    assertThat(awaitTelehealth(appointment, "ENFORCED").get("meetingId").asString())
        .isEqualTo(Long.toString(id));
  }

  @Test
  void zoomsUrlValidationIsAnsweredWithTheHmacOfThePlainToken() throws Exception {
    String body =
        "{\"event\":\"endpoint.url_validation\",\"event_ts\":"
            + System.currentTimeMillis()
            + ",\"payload\":{\"plainToken\":\"qgg8vlvZRS6UYooatFL8Aw\"}}";
    String now = Long.toString(Instant.now().getEpochSecond());
    HttpResponse<String> answer = webhook(body, now, sign(now, body));
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode json = HubClient.JSON.readTree(answer.body());
    assertThat(json.get("plainToken").asString()).isEqualTo("qgg8vlvZRS6UYooatFL8Aw");
    assertThat(json.get("encryptedToken").asString()).isEqualTo(hmac("qgg8vlvZRS6UYooatFL8Aw"));
  }

  @Test
  void refusedCredentialsParkTheMeetingUntilThePracticeReconnects() {
    ZOOM.resetAll();
    ZOOM.stubFor(
        post(urlPathEqualTo("/oauth/token"))
            .willReturn(
                zoomJson(
                    400,
                    "{\"reason\":\"Invalid client_id or client_secret\",\"error\":\"invalid_client\"}")));
    String appointment = bookTelehealth("2030-03-08T10:00:00-07:00", "2030-03-08T10:50:00-07:00");

    await()
        .atMost(PATIENCE)
        .until(() -> "PARKED".equals(telehealth(appointment).path("state").asString("")));
    JsonNode connection = hub.get("/api/v1/connections/zoom", key).json();
    assertThat(connection.get("status").asString()).isEqualTo("NEEDS_REAUTHORIZATION");
    assertThat(connection.get("problem").asString()).contains("invalid_client");
    ZOOM.verify(0, postRequestedFor(urlPathEqualTo(hostPath)));

    // The practice fixes the app in Zoom and connects again: the parked meeting goes ahead.
    long id = MEETING_IDS.incrementAndGet();
    ZOOM.resetAll();
    stubToken();
    ZOOM.stubFor(
        post(urlPathEqualTo(hostPath))
            .willReturn(zoomJson(201, meeting(id, "2030-03-08T17:00:00Z", 50, true))));
    // The create refused for want of a token never reached Zoom: nothing to find.
    ZOOM.stubFor(
        get(urlPathEqualTo(hostPath))
            .willReturn(
                zoomJson(
                    200,
                    "{\"page_size\":300,\"total_records\":0,\"next_page_token\":\"\","
                        + "\"meetings\":[]}")));
    ZOOM.stubFor(
        get(urlPathEqualTo("/v2/meetings/" + id))
            .willReturn(zoomJson(200, meeting(id, "2030-03-08T17:00:00Z", 50, true))));
    assertThat(
            hub.put(
                    "/api/v1/connections/zoom",
                    key,
                    json("accountId", "acc-1", "clientId", "client-1", "clientSecret", "new"))
                .status())
        .isEqualTo(200);

    assertThat(awaitTelehealth(appointment, "ENFORCED").get("meetingId").asString())
        .isEqualTo(Long.toString(id));
    assertThat(hub.get("/api/v1/connections/zoom", key).json().get("status").asString())
        .isEqualTo("CONNECTED");
    ZOOM.verify(1, postRequestedFor(urlPathEqualTo(hostPath)));
  }

  private String bookTelehealth(String start, String end) {
    return hub.bookSession(key, provider, client, start, end, "TELEHEALTH", "ZOOM");
  }

  private JsonNode telehealth(String appointment) {
    return hub.get("/api/v1/appointments/" + appointment, key).json().get("telehealth");
  }

  private JsonNode awaitTelehealth(String appointment, String waitingRoom) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> telehealth(appointment),
            t ->
                t.hasNonNull("meetingId")
                    && waitingRoom.equals(t.get("waitingRoom").asString())
                    && "SYNCED".equals(t.path("state").asString("")));
  }

  private List<String> audit(String appointment) {
    JsonNode entries =
        hub.get("/api/v1/appointments/" + appointment + "/meeting-audit", key).json();
    List<String> actions = new java.util.ArrayList<>();
    entries.forEach(e -> actions.add(e.get("action").asString()));
    return actions;
  }

  private HttpResponse<String> webhook(String body, String timestamp, String signature)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/zoom"))
            .header("Content-Type", "application/json")
            .header("x-zm-request-timestamp", timestamp)
            .header("x-zm-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String sign(String timestamp, String body) throws Exception {
    return "v0=" + hmac("v0:" + timestamp + ":" + body);
  }

  private static String hmac(String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  private static void stubToken() {
    ZOOM.stubFor(
        post(urlPathEqualTo("/oauth/token"))
            .willReturn(
                zoomJson(
                    200,
                    "{\"access_token\":\"eyJ-token\",\"token_type\":\"bearer\","
                        + "\"expires_in\":3599,\"scope\":\"meeting:write:admin\"}")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder zoomJson(
      int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-zm-trackingid", "v=2.0;clid=us06;rid=" + UUID.randomUUID())
        .withBody(body);
  }

  private static String joinUrl(long id) {
    return "https://us06web.zoom.example/j/" + id + "?pwd=abc123";
  }

  private static String meeting(long id, String startUtc, int minutes, boolean waitingRoom) {
    return "{\"id\":"
        + id
        + ",\"uuid\":\"aDYlohsHRtCd4ii1uC2+hA==\",\"host_id\":\"30R7kT7bTIKSNUFEuH_Qlg\","
        + "\"topic\":\"Telehealth session\",\"type\":2,\"status\":\"waiting\",\"start_time\":\""
        + startUtc
        + "\",\"duration\":"
        + minutes
        + ",\"timezone\":\"America/Denver\",\"created_at\":\"2026-11-20T09:00:00Z\","
        + "\"join_url\":\""
        + joinUrl(id)
        + "\",\"start_url\":\"https://us06web.zoom.example/s/"
        + id
        + "?zak=secret\",\"password\":\"abc123\",\"settings\":{\"waiting_room\":"
        + waitingRoom
        + ",\"join_before_host\":false,\"jbh_time\":0,\"mute_upon_entry\":true}}";
  }

  private static String summary(long id, String topic) {
    return "{\"uuid\":\"aDYlohsHRtCd4ii1uC2+hA==\",\"id\":"
        + id
        + ",\"host_id\":\"30R7kT7bTIKSNUFEuH_Qlg\",\"topic\":\""
        + topic
        + "\",\"type\":2,\"start_time\":\"2030-03-05T17:00:00Z\",\"duration\":50,"
        + "\"timezone\":\"America/Denver\",\"created_at\":\"2026-11-20T09:00:00Z\","
        + "\"join_url\":\""
        + joinUrl(id)
        + "\"}";
  }
}
