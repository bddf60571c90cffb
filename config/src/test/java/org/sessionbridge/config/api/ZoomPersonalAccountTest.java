package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.connector.zoom.ZoomMeetingPlatform;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.sessionbridge.core.credential.SecretBox;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A provider who brings a personal Zoom account, through the running hub against the Zoom fake at
 * the socket: the PKCE flow from the practice's start to the callback, tokens stored sealed, the
 * provider's telehealth sessions made on their own account as {@code me}; single-use and expiring
 * states, a code Zoom refuses; refresh with rotation, once for many threads; a revoked
 * authorisation parks the meetings until the provider authorises again. No token, code, state or
 * secret in answers or logs.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + ZoomPersonalAccountTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:zoom-personal-test;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
      "sessionbridge.security.active-key-id=k1",
      "sessionbridge.zoom.user-oauth.client-id=" + ZoomPersonalAccountTest.CLIENT_ID,
      "sessionbridge.public-base-url=https://hub.example.org",
      "sessionbridge.meetings.poll-interval=50ms",
      "sessionbridge.meetings.initial-backoff=1s",
      "sessionbridge.meetings.max-backoff=2s",
      "sessionbridge.outbox.poll-interval=50ms"
    })
@ExtendWith(OutputCaptureExtension.class)
class ZoomPersonalAccountTest {

  static final String OPERATOR = "zoom-personal-operator-key-0123456789";
  static final String CLIENT_ID = "hub-user-app";
  static final String CLIENT_SECRET = "user-app-s3cret-" + UUID.randomUUID();

  static final String REDIRECT = "https://hub.example.org/oauth/zoom/callback";
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final FakeClock ZOOM_CLOCK = new FakeClock();
  static final ZoomFake ZOOM = ZoomFake.start(0, ZOOM_CLOCK);
  static final byte[] KEY = new byte[32];

  @LocalServerPort int port;
  @Autowired JdbcClient db;
  @Autowired SecretBox box;
  @Autowired ZoomMeetingPlatform platform;

  HubClient hub;
  String key;
  UUID practiceId;
  String provider;
  String client;
  String email;
  String zoomUserId;

  @DynamicPropertySource
  static void zoom(DynamicPropertyRegistry registry) {
    registry.add("sessionbridge.zoom.oauth-base-url", ZOOM::baseUrl);
    registry.add("sessionbridge.zoom.api-base-url", () -> ZOOM.baseUrl() + "/v2");
    registry.add("sessionbridge.zoom.user-oauth.client-secret", () -> CLIENT_SECRET);
    new java.security.SecureRandom().nextBytes(KEY);
    registry.add(
        "sessionbridge.security.encryption-keys.k1", () -> Base64.getEncoder().encodeToString(KEY));
    ZOOM.addAccount("hub-developer-account", CLIENT_ID, CLIENT_SECRET);
  }

  @AfterAll
  static void stopZoom() {
    ZOOM.close();
  }

  @BeforeEach
  void practiceWithAProviderOnAPersonalZoomAccount() {
    hub = new HubClient(port);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Solo Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    practiceId =
        UUID.fromString(
            hub.get("/api/v1/practice", key).json().get("practice").get("id").asString());
    String tag = UUID.randomUUID().toString().substring(0, 8);
    email = "dr-" + tag + "@personal.example";
    // The provider's own Zoom account; the practice connects no Zoom account at all.
    ZOOM.addAccount("personal-" + tag, "unused-" + tag, "unused-secret");
    zoomUserId = ZOOM.addUser("personal-" + tag, email);
    provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Chen", "email", email, "timeZone", "America/Denver"))
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
  void theProviderAuthorisesWithPkceAndTheirSessionsAreMadeOnTheirOwnAccount(
      CapturedOutput output) {
    Answer started = hub.post(authorizationPath(), key, null);
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    URI authorize = URI.create(started.json().get("authorizeUrl").asString());
    Map<String, String> query = query(authorize);
    assertThat(authorize.toString()).startsWith(ZOOM.baseUrl() + "/oauth/authorize?");
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", CLIENT_ID)
        .containsEntry("redirect_uri", REDIRECT)
        .containsEntry("code_challenge_method", "S256")
        .containsKeys("state", "code_challenge");
    assertThat(started.body()).doesNotContain(CLIENT_SECRET);

    // The provider consents at Zoom, which sends them back with a code.
    String code =
        ZOOM.issueAuthorizationCode(CLIENT_ID, REDIRECT, query.get("code_challenge"), email);
    Answer callback = callback(code, query.get("state"));

    assertThat(callback.status()).as(callback.body()).isEqualTo(200);
    assertThat(callback.contentType()).startsWith("text/html");
    assertThat(callback.body()).contains("Zoom connected").doesNotContain(email);
    JsonNode status = hub.get(authorizationPath(), key).json();
    assertThat(status.get("status").asString()).isEqualTo("CONNECTED");
    assertThat(status.get("zoomUserId").asString()).isEqualTo(zoomUserId);
    JsonNode services = hub.get("/api/v1/providers/" + provider + "/video-services", key).json();
    assertThat(services.get(0).get("platform").asString()).isEqualTo("ZOOM");
    assertThat(services.get(0).get("hostAccount").asString()).isEqualTo("personal:" + provider);
    String[] stored = storedTokens();
    assertThat(stored[0]).startsWith("v1:k1:");
    String accessToken = open(stored[0]);
    String refreshToken = open(stored[1]);

    String appointment = bookTelehealth("2030-03-04T10:00:00-07:00", "2030-03-04T10:50:00-07:00");

    JsonNode telehealth = awaitTelehealth(appointment, "ENFORCED");
    ZoomFake.Meeting meeting =
        ZOOM.meeting(Long.parseLong(telehealth.get("meetingId").asString())).orElseThrow();
    assertThat(meeting.hostId()).isEqualTo(zoomUserId);
    assertThat(meeting.waitingRoom()).isTrue();
    assertThat(output.getAll())
        .doesNotContain(CLIENT_SECRET)
        .doesNotContain(accessToken)
        .doesNotContain(refreshToken)
        .doesNotContain(code)
        .doesNotContain(query.get("state"));
  }

  @Test
  void aStateWorksOnceAndNotAfterItExpiredAndAnUnknownOneNotAtAll() {
    Map<String, String> first = start();
    String code =
        ZOOM.issueAuthorizationCode(CLIENT_ID, REDIRECT, first.get("code_challenge"), email);
    assertThat(callback(code, first.get("state")).status()).isEqualTo(200);

    Answer again = callback("another-code", first.get("state"));
    assertThat(again.status()).isEqualTo(422);
    assertThat(again.json().get("field").asString()).isEqualTo("state");
    assertThat(again.json().get("reason").asString()).contains("used already");

    Map<String, String> late = start();
    db.sql("update oauth_state set expires_at = created_at where used_at is null").update();
    Answer expired =
        callback(
            ZOOM.issueAuthorizationCode(CLIENT_ID, REDIRECT, late.get("code_challenge"), email),
            late.get("state"));
    assertThat(expired.status()).isEqualTo(422);
    assertThat(expired.json().get("reason").asString()).contains("expired");

    Answer unknown = callback("a-code", "a-state-nobody-issued");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("field").asString()).isEqualTo("state");
  }

  @Test
  void aCodeIssuedForAnotherChallengeIsRefusedByZoomNamingTheCode() {
    Map<String, String> mine = start();
    Map<String, String> other = start();
    // The code was issued against another flow's challenge: our verifier does not match it.
    String code =
        ZOOM.issueAuthorizationCode(CLIENT_ID, REDIRECT, other.get("code_challenge"), email);

    Answer refused = callback(code, mine.get("state"));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().get("field").asString()).isEqualTo("code");
    assertThat(refused.json().get("reason").asString()).contains("invalid_grant");
    assertThat(refused.body()).doesNotContain(code).doesNotContain(CLIENT_SECRET);
    assertThat(hub.get(authorizationPath(), key).status()).isEqualTo(404);
  }

  @Test
  void anExpiredTokenIsRefreshedOnceForManyThreadsAndTheRotatedRefreshTokenIsKept()
      throws Exception {
    authorize();
    String firstRefresh = open(storedTokens()[1]);
    expireStoredAccessToken();
    int grantsBefore = ZOOM.counts().tokenGrants();

    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<PlatformMeeting>>> answers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return platform.findByReference(
                      practiceId, "personal:" + provider, "sb-000000000000");
                }));
      }
      go.countDown();
      for (Future<List<PlatformMeeting>> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(ZOOM.counts().tokenGrants() - grantsBefore).isEqualTo(1);
    String secondRefresh = open(storedTokens()[1]);
    assertThat(secondRefresh).isNotEqualTo(firstRefresh);
    // Zoom only takes the newest refresh token: a second expiry refreshes again without trouble.
    expireStoredAccessToken();
    assertThat(platform.findByReference(practiceId, "personal:" + provider, "sb-000000000000"))
        .isEmpty();
    assertThat(ZOOM.counts().tokenGrants() - grantsBefore).isEqualTo(2);
    assertThat(hub.get(authorizationPath(), key).json().get("status").asString())
        .isEqualTo("CONNECTED");
  }

  @Test
  void aRevokedAuthorisationParksTheMeetingUntilTheProviderAuthorisesAgain() {
    authorize();
    ZOOM.deauthorizeUser(email); // the provider removed the app in Zoom
    expireStoredAccessToken();

    String appointment = bookTelehealth("2030-03-05T10:00:00-07:00", "2030-03-05T10:50:00-07:00");

    JsonNode parked =
        await()
            .atMost(PATIENCE)
            .until(
                () -> telehealth(appointment), t -> "PARKED".equals(t.path("state").asString("")));
    assertThat(parked.get("problem").asString())
        .contains(ZoomMeetingPlatform.PERSONAL_REAUTHORIZATION);
    JsonNode status = hub.get(authorizationPath(), key).json();
    assertThat(status.get("status").asString()).isEqualTo("NEEDS_REAUTHORIZATION");
    assertThat(status.get("problem").asString()).contains("invalid_grant");

    authorize();

    JsonNode telehealth = awaitTelehealth(appointment, "ENFORCED");
    assertThat(
            ZOOM.meeting(Long.parseLong(telehealth.get("meetingId").asString()))
                .orElseThrow()
                .hostId())
        .isEqualTo(zoomUserId);
  }

  @Test
  void anotherPracticesKeyCannotStartOrReadTheAuthorisation() {
    String otherKey =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Other", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    assertThat(hub.post(authorizationPath(), otherKey, null).status()).isEqualTo(404);
    assertThat(hub.get(authorizationPath(), otherKey).status()).isEqualTo(404);
    assertThat(hub.post(authorizationPath(), null, null).status()).isEqualTo(401);
  }

  // --- helpers --------------------------------------------------------------------------------

  private String authorizationPath() {
    return "/api/v1/providers/" + provider + "/zoom-authorization";
  }

  private Map<String, String> start() {
    Answer started = hub.post(authorizationPath(), key, null);
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    return query(URI.create(started.json().get("authorizeUrl").asString()));
  }

  private void authorize() {
    Map<String, String> query = start();
    String code =
        ZOOM.issueAuthorizationCode(CLIENT_ID, REDIRECT, query.get("code_challenge"), email);
    Answer callback = callback(code, query.get("state"));
    assertThat(callback.status()).as(callback.body()).isEqualTo(200);
  }

  private Answer callback(String code, String state) {
    return hub.get(
        "/oauth/zoom/callback?code="
            + URLEncoder.encode(code, StandardCharsets.UTF_8)
            + "&state="
            + URLEncoder.encode(state, StandardCharsets.UTF_8),
        null);
  }

  /** access_sealed, refresh_sealed of the provider's row. */
  private String[] storedTokens() {
    return db.sql(
            "select access_sealed, refresh_sealed from provider_token where practice_id = :p"
                + " and provider_id = :prov")
        .param("p", practiceId)
        .param("prov", UUID.fromString(provider))
        .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
        .single();
  }

  private String open(String sealed) {
    return box.open(sealed, "practice:" + practiceId + ":provider:" + provider + ":ZOOM");
  }

  /** The access token runs out: at Zoom (its clock moves an hour) and in the hub's row. */
  private void expireStoredAccessToken() {
    ZOOM_CLOCK.advance(Duration.ofHours(1));
    db.sql(
            "update provider_token set access_expires_at = authorized_at where practice_id = :p"
                + " and provider_id = :prov")
        .param("p", practiceId)
        .param("prov", UUID.fromString(provider))
        .update();
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

  private static Map<String, String> query(URI url) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      values.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  /** Zoom's time, moved by the test; the hub keeps its own clock. */
  static final class FakeClock extends Clock {
    private final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

    void advance(Duration by) {
      now.updateAndGet(i -> i.plus(by));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
