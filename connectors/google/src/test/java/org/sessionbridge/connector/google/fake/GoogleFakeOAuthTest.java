package org.sessionbridge.connector.google.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Google's token and revocation endpoints, over raw HTTP (the connector does not call them). */
class GoogleFakeOAuthTest {

  private static final String USER = "dr.jones@example.com";
  private static final String CLIENT = "hub.apps.googleusercontent.com";
  private static final String SECRET = "hub-secret";
  private static final String REDIRECT = "https://hub.example.com/oauth/google/callback";
  private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final GoogleFake google =
      GoogleFake.start(0, clock).addUser(USER).addClient(CLIENT, SECRET);
  private final GoogleWire wire = new GoogleWire(google.baseUrl());

  @AfterEach
  void stop() {
    google.close();
  }

  @Test
  void exchangesAPkceCodeOnceAndRefreshesWithoutRotatingTheRefreshToken() {
    // RFC 7636 appendix B: this verifier's S256 challenge
    assertThat(s256(VERIFIER)).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    String code = code(s256(VERIFIER));

    GoogleWire.Answer granted = exchange(code, VERIFIER);

    assertThat(granted.status()).isEqualTo(200);
    assertThat(granted.json().path("token_type").asString()).isEqualTo("Bearer");
    assertThat(granted.json().path("expires_in").asInt()).isEqualTo(3599);
    assertThat(granted.json().path("scope").asString()).isEqualTo(GoogleFake.CALENDAR_SCOPE);
    String access = granted.json().path("access_token").asString();
    String refresh = granted.json().path("refresh_token").asString();
    assertThat(access).startsWith("ya29.");
    assertThat(refresh).startsWith("1//");
    assertThat(wire.call("GET", "/calendars/primary/events", access, "").status()).isEqualTo(200);

    GoogleWire.Answer reused = exchange(code, VERIFIER);
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().path("error").asString()).isEqualTo("invalid_grant");

    clock.advance(Duration.ofHours(1));
    assertThat(wire.call("GET", "/calendars/primary/events", access, "").status()).isEqualTo(401);

    GoogleWire.Answer refreshed = refresh(refresh);
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.json().has("refresh_token")).isFalse();
    String fresh = refreshed.json().path("access_token").asString();
    assertThat(fresh).isNotEqualTo(access);
    assertThat(wire.call("GET", "/calendars/primary/events", fresh, "").status()).isEqualTo(200);
    assertThat(refresh(refresh).status()).isEqualTo(200); // still the same refresh token
    assertThat(google.counts().tokenGrants()).isEqualTo(3);
  }

  @Test
  void theConsentScreenRedirectsBackWithACodeAndTheState() throws Exception {
    java.net.http.HttpResponse<String> consent =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            google.baseUrl()
                                + "/o/oauth2/v2/auth?response_type=code&access_type=offline"
                                + "&client_id="
                                + CLIENT
                                + "&redirect_uri="
                                + GoogleWire.encode(REDIRECT)
                                + "&scope="
                                + GoogleWire.encode(GoogleFake.CALENDAR_SCOPE)
                                + "&state=st-1&code_challenge_method=S256&code_challenge="
                                + s256(VERIFIER)
                                + "&login_hint="
                                + GoogleWire.encode(USER)))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(consent.statusCode()).isEqualTo(302);
    String location = consent.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT + "?code=").contains("&state=st-1");
    String code =
        java.net.URLDecoder.decode(
            location.substring(location.indexOf("code=") + 5, location.indexOf("&state")),
            StandardCharsets.UTF_8);
    assertThat(exchange(code, VERIFIER).status()).isEqualTo(200);
  }

  @Test
  void refusesAWrongOrMissingVerifierAndAnotherRedirectUri() {
    GoogleWire.Answer wrong = exchange(code(s256(VERIFIER)), VERIFIER + "x");
    GoogleWire.Answer missing =
        wire.form(
            "/token",
            Map.of(
                "grant_type", "authorization_code",
                "code", code(s256(VERIFIER)),
                "redirect_uri", REDIRECT,
                "client_id", CLIENT,
                "client_secret", SECRET));
    GoogleWire.Answer elsewhere =
        wire.form(
            "/token",
            Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code(s256(VERIFIER)),
                "redirect_uri",
                "https://evil.example.com/cb",
                "code_verifier",
                VERIFIER,
                "client_id",
                CLIENT,
                "client_secret",
                SECRET));
    GoogleWire.Answer badSecret =
        wire.form(
            "/token",
            Map.of(
                "grant_type", "refresh_token",
                "refresh_token", "1//whatever",
                "client_id", CLIENT,
                "client_secret", "nope"));

    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().path("error").asString()).isEqualTo("invalid_grant");
    assertThat(wrong.json().path("error_description").asString())
        .isEqualTo("Invalid code verifier.");
    assertThat(missing.json().path("error_description").asString())
        .isEqualTo("Missing code verifier.");
    assertThat(elsewhere.json().path("error").asString()).isEqualTo("redirect_uri_mismatch");
    assertThat(badSecret.status()).isEqualTo(401);
    assertThat(badSecret.json().path("error").asString()).isEqualTo("invalid_client");
    assertThat(google.counts().tokenGrants()).isZero();
  }

  @Test
  void anExpiredCodeIsAnInvalidGrant() {
    String code = code(s256(VERIFIER));
    clock.advance(Duration.ofMinutes(11));

    assertThat(exchange(code, VERIFIER).json().path("error").asString()).isEqualTo("invalid_grant");
  }

  @Test
  void revokingEndsTheGrantSoARefreshIsAnInvalidGrant() {
    GoogleWire.Answer granted = exchange(code(s256(VERIFIER)), VERIFIER);
    String access = granted.json().path("access_token").asString();
    String refresh = granted.json().path("refresh_token").asString();

    GoogleWire.Answer revoked = wire.form("/revoke", Map.of("token", refresh));

    assertThat(revoked.status()).isEqualTo(200);
    GoogleWire.Answer refused = refresh(refresh);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").asString()).isEqualTo("invalid_grant");
    assertThat(refused.json().path("error_description").asString())
        .isEqualTo("Token has been expired or revoked.");
    GoogleWire.Answer api = wire.call("GET", "/calendars/primary/events", access, "");
    assertThat(api.status()).isEqualTo(401);
    assertThat(api.reason()).isEqualTo("authError");
    assertThat(wire.form("/revoke", Map.of("token", refresh)).status()).isEqualTo(400);
  }

  @Test
  void theUserRevokingAccessInTheirAccountEndsEveryGrant() {
    String refresh =
        exchange(code(s256(VERIFIER)), VERIFIER).json().path("refresh_token").asString();

    google.revokeUser(USER);

    assertThat(refresh(refresh).json().path("error").asString()).isEqualTo("invalid_grant");
  }

  @Test
  void aReadOnlyTokenCannotWriteAndNoTokenIsLoginRequired() {
    String readOnly =
        google.issueAccessToken(USER, List.of("https://www.googleapis.com/auth/calendar.readonly"));

    GoogleWire.Answer write =
        wire.call(
            "POST",
            "/calendars/primary/events",
            readOnly,
            "{\"start\":{\"date\":\"2026-03-02\"},\"end\":{\"date\":\"2026-03-03\"}}");
    GoogleWire.Answer anonymous = wire.call("GET", "/calendars/primary/events", "", "");

    assertThat(write.status()).isEqualTo(403);
    assertThat(write.reason()).isEqualTo("insufficientPermissions");
    assertThat(wire.call("GET", "/calendars/primary/events", readOnly, "").status()).isEqualTo(200);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.reason()).isEqualTo("required");
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
  }

  private String code(String challenge) {
    return google.issueAuthorizationCode(
        CLIENT, REDIRECT, challenge, USER, List.of(GoogleFake.CALENDAR_SCOPE));
  }

  private GoogleWire.Answer exchange(String code, String verifier) {
    return wire.form(
        "/token",
        Map.of(
            "grant_type", "authorization_code",
            "code", code,
            "redirect_uri", REDIRECT,
            "code_verifier", verifier,
            "client_id", CLIENT,
            "client_secret", SECRET));
  }

  private GoogleWire.Answer refresh(String refreshToken) {
    return wire.form(
        "/token",
        Map.of(
            "grant_type", "refresh_token",
            "refresh_token", refreshToken,
            "client_id", CLIENT,
            "client_secret", SECRET));
  }

  /** PKCE S256, computed independently of the fake. */
  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
