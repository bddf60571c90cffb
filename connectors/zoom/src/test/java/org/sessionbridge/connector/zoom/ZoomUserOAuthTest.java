package org.sessionbridge.connector.zoom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import tools.jackson.databind.json.JsonMapper;

/**
 * User-level OAuth (authorization code + PKCE S256, rotating refresh tokens) against the Zoom fake
 * at the socket: the authorize URL, the code exchange with the verifier, the user behind the token,
 * single-use and expiring codes, rotation, a removed app, and Zoom's error codes in words.
 */
class ZoomUserOAuthTest {

  static final String APP_ACCOUNT = "hub-developer-account";
  static final String CLIENT_ID = "user-app-client";
  static final String CLIENT_SECRET = "user-app-secret-" + System.nanoTime();
  static final String PERSONAL_ACCOUNT = "dr-chen-personal";
  static final String EMAIL = "dr.chen@personal.example";
  static final String REDIRECT = "https://hub.example.com/oauth/zoom/callback";
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
  ZoomFake fake;
  ZoomUserOAuth oauth;
  String userId;

  @BeforeEach
  void start() {
    fake = ZoomFake.start(0, clock);
    fake.addAccount(APP_ACCOUNT, CLIENT_ID, CLIENT_SECRET);
    fake.addAccount(PERSONAL_ACCOUNT, "unused-client", "unused-secret");
    userId = fake.addUser(PERSONAL_ACCOUNT, EMAIL);
    ZoomSettings settings =
        ZoomSettings.forHost(fake.baseUrl(), Duration.ofSeconds(2), Duration.ofSeconds(5));
    oauth =
        new ZoomUserOAuth(
            ZoomApi.httpClient(settings),
            settings,
            new ZoomUserApp(CLIENT_ID, CLIENT_SECRET, REDIRECT),
            clock);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void theAuthorizeUrlAsksForACodeWithTheS256Challenge() {
    URI url = oauth.authorizeUrl("state-123", challenge(VERIFIER));

    assertThat(url.toString()).startsWith(fake.baseUrl() + "/oauth/authorize?");
    assertThat(query(url))
        .containsEntry("response_type", "code")
        .containsEntry("client_id", CLIENT_ID)
        .containsEntry("redirect_uri", REDIRECT)
        .containsEntry("state", "state-123")
        .containsEntry("code_challenge", challenge(VERIFIER))
        .containsEntry("code_challenge_method", "S256");
    assertThat(url.toString()).doesNotContain(CLIENT_SECRET).doesNotContain(VERIFIER);
  }

  @Test
  void aCodeIsExchangedWithItsVerifierForTokensOfTheUserWhoConsented() {
    String code = fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, challenge(VERIFIER), EMAIL);

    ZoomUserGrant grant = oauth.exchange(code, VERIFIER);

    assertThat(grant.accessToken()).isNotBlank();
    assertThat(grant.refreshToken()).isNotBlank();
    assertThat(grant.expiresIn()).isEqualTo(Duration.ofSeconds(3599));
    assertThat(grant.toString()).doesNotContain(grant.accessToken(), grant.refreshToken());
    ZoomUser me = oauth.currentUser(grant.accessToken());
    assertThat(me.id()).isEqualTo(userId);
    assertThat(me.email()).isEqualTo(EMAIL);
    assertThat(me.accountId()).isEqualTo(PERSONAL_ACCOUNT);
    assertThat(me.toString()).doesNotContain(EMAIL);
  }

  @Test
  void aWrongVerifierAReusedCodeAndAnExpiredCodeAreRefused() {
    String code = fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, challenge(VERIFIER), EMAIL);
    assertThatThrownBy(() -> oauth.exchange(code, VERIFIER.replace('d', 'e')))
        .isInstanceOf(ZoomAuthorizationException.class)
        .hasMessageContaining("invalid_grant")
        .hasMessageNotContaining(code);
    // Single use: refused once, spent.
    assertThatThrownBy(() -> oauth.exchange(code, VERIFIER))
        .isInstanceOf(ZoomAuthorizationException.class);

    String late = fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, challenge(VERIFIER), EMAIL);
    clock.advance(Duration.ofMinutes(5));
    assertThatThrownBy(() -> oauth.exchange(late, VERIFIER))
        .isInstanceOf(ZoomAuthorizationException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void everyRefreshRotatesTheRefreshTokenAndTheSpentOneIsRefused() {
    ZoomUserGrant first =
        oauth.exchange(
            fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, challenge(VERIFIER), EMAIL), VERIFIER);

    ZoomUserGrant second = oauth.refresh(first.refreshToken());

    assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
    assertThat(oauth.currentUser(second.accessToken()).id()).isEqualTo(userId);
    assertThatThrownBy(() -> oauth.refresh(first.refreshToken()))
        .isInstanceOf(ZoomAuthorizationException.class)
        .hasMessageContaining("invalid_grant");
    assertThat(oauth.refresh(second.refreshToken()).accessToken()).isNotBlank();
  }

  @Test
  void aUserWhoRemovedTheAppCannotBeRefreshed() {
    ZoomUserGrant grant =
        oauth.exchange(
            fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, challenge(VERIFIER), EMAIL), VERIFIER);
    fake.deauthorizeUser(EMAIL);

    assertThatThrownBy(() -> oauth.refresh(grant.refreshToken()))
        .isInstanceOf(ZoomAuthorizationException.class);
    assertThatThrownBy(() -> oauth.currentUser(grant.accessToken()))
        .isInstanceOf(ZoomAuthorizationException.class);
  }

  @Test
  void zoomsOAuthErrorCodesAreNamedInWordsAndOutagesAreTransient() {
    ZoomErrors errors = new ZoomErrors(clock, JsonMapper.builder().build());
    Headers none = Headers.of();

    assertThat(
            errors.forUserTokenResponse(
                "authorization code exchange",
                400,
                none,
                "{\"code\":4733,\"message\":\"Code is expired.\"}"))
        .isInstanceOf(ZoomAuthorizationException.class)
        .hasMessageContaining("the authorization code expired")
        .hasMessageContaining("4733");
    assertThat(errors.forUserTokenResponse("exchange", 400, none, "{\"code\":4734}"))
        .hasMessageContaining("the authorization code is invalid");
    assertThat(errors.forUserTokenResponse("token refresh", 401, none, "{\"code\":4741}"))
        .isInstanceOf(ZoomAuthorizationException.class)
        .hasMessageContaining("revoked");
    assertThat(
            errors.forUserTokenResponse(
                "token refresh",
                400,
                none,
                "{\"reason\":\"Invalid Token!\",\"error\":\"invalid_grant\"}"))
        .isInstanceOf(ZoomAuthorizationException.class)
        .hasMessageContaining("invalid_grant");
    assertThat(errors.forUserTokenResponse("token refresh", 503, none, ""))
        .isInstanceOf(ZoomTransientException.class);
  }

  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> query(URI url) {
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
