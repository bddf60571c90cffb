package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.connector.google.fake.GoogleFake;
import org.sessionbridge.core.credential.SecretBox;
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
 * A provider links their Google calendar through Google's consent screen, through the running hub
 * against the in-process {@link GoogleFake}: the practice starts the flow, the provider follows the
 * authorize URL (the fake consents at once and redirects back with a code and the state), the
 * callback spends the code with the PKCE verifier and shows the provider their calendars, the
 * provider picks where sessions go and what counts as busy, the sessions booked before appear and a
 * new booking puts one event there. Single-use and unknown states and choices, a code issued for
 * another challenge, a tampered choice; no token, code, state or secret in answers or logs.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + GoogleConsentFlowTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:google-consent-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.security.active-key-id=k1",
      "sessionbridge.google.client-id=" + GoogleConsentFlowTest.CLIENT_ID,
      "sessionbridge.public-base-url=https://hub.example.org",
      "sessionbridge.calendars.poll-interval=50ms",
      "sessionbridge.calendars.pull-check-interval=50ms",
      "sessionbridge.calendars.pull-interval=200ms",
      "sessionbridge.calendars.initial-backoff=200ms",
      "sessionbridge.calendars.max-backoff=1s",
      "sessionbridge.outbox.poll-interval=50ms"
    })
@ExtendWith(OutputCaptureExtension.class)
class GoogleConsentFlowTest {

  static final String OPERATOR = "google-consent-operator-key-0123456789";
  static final String CLIENT_ID = "hub-consent.apps.googleusercontent.com";
  static final String CLIENT_SECRET = "hub-consent-s3cret-" + UUID.randomUUID();
  static final String REDIRECT = "https://hub.example.org/oauth/google/callback";
  static final GoogleFake GOOGLE = GoogleFake.start(0);
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final HttpClient BROWSER =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @LocalServerPort int port;
  @Autowired JdbcClient db;
  @Autowired SecretBox box;

  HubClient hub;
  String key;
  UUID practiceId;
  String provider;
  String client;
  String email;

  @DynamicPropertySource
  static void google(DynamicPropertyRegistry registry) {
    GOOGLE.addClient(CLIENT_ID, CLIENT_SECRET);
    registry.add("sessionbridge.google.calendar-root-url", () -> GOOGLE.baseUrl() + "/");
    registry.add("sessionbridge.google.oauth-base-url", GOOGLE::baseUrl);
    registry.add("sessionbridge.google.client-secret", () -> CLIENT_SECRET);
    registry.add(
        "sessionbridge.google.authorize-url", () -> GOOGLE.baseUrl() + "/o/oauth2/v2/auth");
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
        hub.post("/api/v1/practices", OPERATOR, json("name", "Consent Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    practiceId =
        UUID.fromString(
            hub.get("/api/v1/practice", key).json().get("practice").get("id").asString());
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
    client =
        hub.post("/api/v1/clients", key, json("name", "Alex Client", "email", "alex@x.example"))
            .json()
            .get("id")
            .asString();
  }

  @Test
  void theProviderConsentsAndABookingPutsOneEventInTheirCalendar(CapturedOutput output)
      throws Exception {
    Answer started = hub.post(authorizationPath(), key, null);
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    assertThat(started.body()).doesNotContain(CLIENT_SECRET);
    URI authorize = URI.create(started.json().get("authorizeUrl").asString());
    Map<String, String> query = query(authorize);
    assertThat(authorize.toString()).startsWith(GOOGLE.baseUrl() + "/o/oauth2/v2/auth?");
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", CLIENT_ID)
        .containsEntry("redirect_uri", REDIRECT)
        .containsEntry(
            "scope",
            "https://www.googleapis.com/auth/calendar.events"
                + " https://www.googleapis.com/auth/calendar.readonly")
        .containsEntry("access_type", "offline")
        .containsEntry("prompt", "consent")
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("login_hint", email) // Google preselects the provider's account
        .containsKeys("state", "code_challenge");
    assertThat(Instant.parse(started.json().get("expiresAt").asString())).isAfter(Instant.now());

    // A session booked before the calendar is linked, and a second calendar of the provider's.
    String earlier = book("2030-03-05T09:00:00-07:00", "2030-03-05T09:50:00-07:00");
    String family = GOOGLE.addCalendar(email, "Family <plans>");

    // The provider consents at Google, which sends them back with a code and the state.
    Map<String, String> back = consent(authorize);
    assertThat(back).containsEntry("state", query.get("state")).containsKey("code");
    Answer callback = callback(back.get("code"), back.get("state"));

    assertThat(callback.status()).as(callback.body()).isEqualTo(200);
    assertThat(callback.contentType()).startsWith("text/html");
    assertThat(callback.body())
        .contains("Choose your calendars")
        .contains("Family &lt;plans&gt;") // the provider's own words, escaped
        .contains("value=\"primary\" checked")
        .contains("value=\"" + family + "\"")
        .doesNotContain(back.get("code"));
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json()).isEmpty();

    Answer chosen = choose(callback.body(), "primary", "primary", family);
    assertThat(chosen.status()).as(chosen.body()).isEqualTo(200);
    assertThat(chosen.body()).contains("Your sessions go to").contains("count as busy");
    JsonNode links = hub.get("/api/v1/providers/" + provider + "/calendars", key).json();
    assertThat(links).hasSize(2);
    assertThat(links.get(0).get("calendarId").asString()).isEqualTo("primary");
    assertThat(links.get(0).get("receivesSessions").asBoolean()).isTrue();
    assertThat(links.get(0).get("busy").asBoolean()).isTrue();
    assertThat(links.get(0).get("status").asString()).isEqualTo("ACTIVE");
    assertThat(links.get(1).get("calendarId").asString()).isEqualTo(family);
    assertThat(links.get(1).get("receivesSessions").asBoolean()).isFalse();
    assertThat(links.get(1).get("busy").asBoolean()).isTrue();
    // The session booked before linking is filled in.
    await().atMost(PATIENCE).until(() -> liveEventsOf(earlier), l -> l.size() == 1);
    // The page works once.
    Answer twice = choose(callback.body(), "primary", "primary");
    assertThat(twice.status()).isEqualTo(422);
    assertThat(twice.json().get("field").asString()).isEqualTo("choice");
    assertThat(twice.json().get("reason").asString()).contains("chosen already");
    String[] stored = storedTokens();
    assertThat(stored[0]).startsWith("v1:k1:");
    String accessToken = open(stored[0]);
    String refreshToken = open(stored[1]);

    String appointment = book("2030-03-06T10:00:00-07:00", "2030-03-06T10:50:00-07:00");
    List<GoogleFake.StoredEvent> live =
        await().atMost(PATIENCE).until(() -> liveEventsOf(appointment), l -> l.size() == 1);
    assertThat(live.get(0).start()).isEqualTo(Instant.parse("2030-03-06T17:00:00Z"));
    // Nothing goes to the busy-only calendar.
    assertThat(GOOGLE.events(family)).isEmpty();
    assertThat(output.getAll())
        .doesNotContain(CLIENT_SECRET)
        .doesNotContain(accessToken)
        .doesNotContain(refreshToken)
        .doesNotContain(back.get("code"))
        .doesNotContain(query.get("state"));
  }

  @Test
  void aStateWorksOnceAndAnUnknownOneNotAtAll() throws Exception {
    Map<String, String> back = consent(start());
    Answer first = callback(back.get("code"), back.get("state"));
    assertThat(first.status()).isEqualTo(200);
    assertThat(choose(first.body(), "primary", "primary").status()).isEqualTo(200);

    Answer again = callback(back.get("code"), back.get("state"));
    assertThat(again.status()).isEqualTo(422);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.json().get("field").asString()).isEqualTo("state");
    assertThat(again.json().get("reason").asString()).contains("used already");

    Answer unknown = callback("a-code", "a-state-nobody-issued");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("field").asString()).isEqualTo("state");

    Answer missing = hub.get("/oauth/google/callback?code=x", null);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("field").asString()).isEqualTo("state");
    // Consenting again keeps the one link.
    Map<String, String> second = consent(start());
    Answer reconnected = callback(second.get("code"), second.get("state"));
    assertThat(reconnected.status()).isEqualTo(200);
    assertThat(reconnected.body()).contains("connected again");
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json()).hasSize(1);
  }

  @Test
  void aTamperedOrUnknownChoiceLinksNothing() throws Exception {
    Map<String, String> back = consent(start());
    String page = callback(back.get("code"), back.get("state")).body();
    String other = "other-" + UUID.randomUUID() + "@x.example";
    GOOGLE.addUser(other);
    String someoneElses = GOOGLE.addCalendar(other, "Theirs");

    Answer foreign = choose(page, someoneElses, "primary");
    assertThat(foreign.status()).isEqualTo(422);
    assertThat(foreign.json().get("field").asString()).isEqualTo("sessions");
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json()).isEmpty();

    Answer unknown = form("choice=made-up&sessions=primary");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("field").asString()).isEqualTo("choice");

    Map<String, String> again = consent(start());
    String page2 = callback(again.get("code"), again.get("state")).body();
    Answer badBusy = choose(page2, "primary", "not-a-calendar-of-theirs");
    assertThat(badBusy.status()).isEqualTo(422);
    assertThat(badBusy.json().get("field").asString()).isEqualTo("busy");
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json()).isEmpty();
  }

  @Test
  void thePracticeCanStartTheFlowAsARedirect() {
    Answer redirect = hub.get("/oauth/google/start?providerId=" + provider, key);
    assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
    assertThat(redirect.header("Location")).startsWith(GOOGLE.baseUrl() + "/o/oauth2/v2/auth?");
    assertThat(query(URI.create(redirect.header("Location"))))
        .containsKeys("state", "code_challenge");
    assertThat(hub.get("/oauth/google/start?providerId=" + provider, null).status()).isEqualTo(401);
    Answer malformed = hub.get("/oauth/google/start?providerId=dr-park", key);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().get("field").asString()).isEqualTo("providerId");
  }

  @Test
  void aCodeIssuedForAnotherChallengeIsRefusedNamingTheCode() throws Exception {
    URI mine = start();
    URI other = start();
    // The code was issued against the other flow's challenge: our verifier does not match it.
    String code = consent(other).get("code");

    Answer refused = callback(code, query(mine).get("state"));

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().get("field").asString()).isEqualTo("code");
    assertThat(refused.json().get("reason").asString()).contains("invalid_grant");
    assertThat(refused.body()).doesNotContain(code).doesNotContain(CLIENT_SECRET);
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json()).isEmpty();
  }

  @Test
  void anotherPracticesKeyCannotStartTheFlow() {
    String otherKey =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Other", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    assertThat(hub.post(authorizationPath(), otherKey, null).status()).isEqualTo(404);
    assertThat(hub.post(authorizationPath(), null, null).status()).isEqualTo(401);
  }

  private String authorizationPath() {
    return "/api/v1/providers/" + provider + "/google-authorization";
  }

  private URI start() {
    Answer started = hub.post(authorizationPath(), key, null);
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    return URI.create(started.json().get("authorizeUrl").asString());
  }

  /** The provider at Google's consent screen (as this test's user): the redirect's query. */
  private Map<String, String> consent(URI authorize) throws Exception {
    URI asUser =
        URI.create(
            authorize + "&login_hint=" + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8));
    HttpResponse<String> answer =
        BROWSER.send(
            HttpRequest.newBuilder(asUser).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
    URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
    assertThat(location.toString()).startsWith(REDIRECT + "?");
    return query(location);
  }

  private Answer callback(String code, String state) {
    return hub.get(
        "/oauth/google/callback?code="
            + java.net.URLEncoder.encode(code, StandardCharsets.UTF_8)
            + "&state="
            + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8),
        null);
  }

  /** The provider submits the choice page: {@code sessions} and the {@code busy} calendars. */
  private Answer choose(String page, String sessions, String... busy) {
    java.util.regex.Matcher token =
        java.util.regex.Pattern.compile("name=\"choice\" value=\"([^\"]+)\"").matcher(page);
    assertThat(token.find()).as(page).isTrue();
    StringBuilder body = new StringBuilder("choice=").append(token.group(1));
    body.append("&sessions=").append(java.net.URLEncoder.encode(sessions, StandardCharsets.UTF_8));
    for (String b : busy) {
      body.append("&busy=").append(java.net.URLEncoder.encode(b, StandardCharsets.UTF_8));
    }
    return form(body.toString());
  }

  private Answer form(String body) {
    return hub.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/oauth/google/calendars"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** access_sealed, refresh_sealed of the provider's row. */
  private String[] storedTokens() {
    return db.sql(
            "select access_sealed, refresh_sealed from provider_token where practice_id = :p"
                + " and provider_id = :prov and kind = 'GOOGLE'")
        .param("p", practiceId)
        .param("prov", UUID.fromString(provider))
        .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
        .single();
  }

  private String open(String sealed) {
    return box.open(sealed, "practice:" + practiceId + ":provider:" + provider + ":GOOGLE");
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

  private String book(String start, String end) {
    return hub.bookSession(key, provider, client, start, end, "IN_PERSON", null);
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
}
