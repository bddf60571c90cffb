package org.sessionbridge.connector.zoom;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * User-level OAuth with Zoom (authorization code with PKCE S256, API-NOTES §1.1), for a provider
 * who hosts on a personal Zoom account: the authorize URL to send the provider to, the code
 * exchange, and the refresh, which <b>rotates</b> the refresh token (the old one stops working, so
 * callers must store the new one before using it; see {@code ProviderTokenStore}).
 *
 * <p>Failures: {@link ZoomAuthorizationException} when Zoom refuses the code or token for good
 * (4733 code expired, 4734 invalid code, 4741 revoked, {@code invalid_grant}, a wrong verifier,
 * client or redirect URI), with the reason in words; {@link ZoomTransientException} when Zoom could
 * not be asked (429, 5xx, timeouts); {@link ZoomProtocolException} for an unreadable answer. Never
 * retries on its own: a code is single use, and a refresh whose answer was lost may have spent the
 * refresh token already.
 *
 * <p>Thread-safe and stateless. Codes, verifiers, tokens and the secret never appear in messages.
 */
public final class ZoomUserOAuth {

  private final OkHttpClient http;
  private final ZoomSettings settings;
  private final ZoomUserApp app;
  private final Clock clock;
  private final HttpUrl authorizeUrl;
  private final HttpUrl tokenUrl;
  private final String basicAuthorization;
  private final JsonMapper json = JsonMapper.builder().build();
  private final ZoomErrors errors;

  public ZoomUserOAuth(ZoomSettings settings, ZoomUserApp app) {
    this(ZoomApi.httpClient(settings), settings, app, Clock.systemUTC());
  }

  ZoomUserOAuth(OkHttpClient http, ZoomSettings settings, ZoomUserApp app, Clock clock) {
    this.http = http;
    this.settings = settings;
    this.app = Objects.requireNonNull(app, "app");
    this.clock = clock;
    HttpUrl oauth = HttpUrl.get(settings.oauthBaseUrl());
    this.authorizeUrl = oauth.newBuilder().addPathSegments("oauth/authorize").build();
    this.tokenUrl = oauth.newBuilder().addPathSegments("oauth/token").build();
    this.basicAuthorization =
        Credentials.basic(app.clientId(), app.clientSecret(), StandardCharsets.UTF_8);
    this.errors = new ZoomErrors(clock, json);
  }

  /** The app's client id (not secret). */
  public String clientId() {
    return app.clientId();
  }

  /** Where Zoom sends the provider back with {@code code} and {@code state}. */
  public String redirectUri() {
    return app.redirectUri();
  }

  /**
   * {@code {oauth}/oauth/authorize?response_type=code&client_id&redirect_uri&state&code_challenge
   * &code_challenge_method=S256}: where the provider consents.
   */
  public URI authorizeUrl(String state, String codeChallenge) {
    return authorizeUrl
        .newBuilder()
        .addQueryParameter("response_type", "code")
        .addQueryParameter("client_id", app.clientId())
        .addQueryParameter("redirect_uri", app.redirectUri())
        .addQueryParameter("state", Objects.requireNonNull(state, "state"))
        .addQueryParameter("code_challenge", Objects.requireNonNull(codeChallenge, "codeChallenge"))
        .addQueryParameter("code_challenge_method", "S256")
        .build()
        .uri();
  }

  /** Exchanges the callback's code, proving the flow with the PKCE {@code codeVerifier}. */
  public ZoomUserGrant exchange(String code, String codeVerifier) {
    return grant(
        "authorization code exchange",
        new FormBody.Builder()
            .add("grant_type", "authorization_code")
            .add("code", Objects.requireNonNull(code, "code"))
            .add("redirect_uri", app.redirectUri())
            .add("code_verifier", Objects.requireNonNull(codeVerifier, "codeVerifier"))
            .build());
  }

  /** Spends {@code refreshToken} for a new access token and a new refresh token. */
  public ZoomUserGrant refresh(String refreshToken) {
    return grant(
        "token refresh",
        new FormBody.Builder()
            .add("grant_type", "refresh_token")
            .add("refresh_token", Objects.requireNonNull(refreshToken, "refreshToken"))
            .build());
  }

  /** The user {@code accessToken} speaks for ({@code GET /users/me}). */
  public ZoomUser currentUser(String accessToken) {
    ZoomAccessTokens fixed =
        new ZoomAccessTokens() {
          @Override
          public String accessToken() {
            return accessToken;
          }

          @Override
          public void invalidate(String rejected) {
            // a fixed token: the second 401 surfaces as ZoomAuthorizationException
          }

          @Override
          public String toString() {
            return "fixed user token";
          }
        };
    return new ZoomApi(http, settings, fixed, clock).currentUser();
  }

  private ZoomUserGrant grant(String operation, FormBody form) {
    Request request =
        new Request.Builder()
            .url(tokenUrl)
            .header("Authorization", basicAuthorization)
            .header("Accept", "application/json")
            .post(form)
            .build();
    String what = "OAuth " + operation;
    try (Response response = http.newCall(request).execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) {
        throw errors.forUserTokenResponse(operation, response.code(), response.headers(), body);
      }
      JsonNode node;
      try {
        node = json.readTree(body);
      } catch (JacksonException e) {
        throw errors.malformed(what, response.code(), response.headers(), "not JSON");
      }
      JsonNode access = node.path("access_token");
      JsonNode refresh = node.path("refresh_token");
      JsonNode expiresIn = node.path("expires_in");
      if (!access.isString() || access.asString().isBlank()) {
        throw errors.malformed(what, response.code(), response.headers(), "no access_token");
      }
      if (!refresh.isString() || refresh.asString().isBlank()) {
        throw errors.malformed(what, response.code(), response.headers(), "no refresh_token");
      }
      if (!expiresIn.isNumber() || expiresIn.asLong() <= 0) {
        throw errors.malformed(what, response.code(), response.headers(), "no positive expires_in");
      }
      JsonNode scope = node.path("scope");
      return new ZoomUserGrant(
          access.asString(),
          refresh.asString(),
          Duration.ofSeconds(expiresIn.asLong()),
          scope.isString() ? scope.asString() : "");
    } catch (IOException e) {
      throw errors.forIoFailure(what, e);
    }
  }

  @Override
  public String toString() {
    return "ZoomUserOAuth[" + tokenUrl + ", " + app + "]";
  }
}
