package org.sessionbridge.connector.google;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Google's OAuth 2.0 token endpoint ({@code {oauth-base-url}/token}, API-NOTES §3) for the hub's
 * web application client: spends a provider's refresh token for an access token ({@code
 * grant_type=refresh_token}). Google does not rotate refresh tokens, so the one spent stays valid.
 * Tokens and the client secret are never logged or put in an exception message.
 *
 * <p><b>Threading.</b> Thread-safe.
 */
public final class GoogleTokenEndpoint {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final URI tokenUri;
  private final String clientId;
  private final String clientSecret;
  private final Duration timeout;
  private final HttpClient http;

  /** What Google granted: an access token and its lifetime. */
  public record Grant(String accessToken, Duration expiresIn) {
    public Grant {
      Objects.requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
      return "Grant[<redacted>, expiresIn=" + expiresIn + "]";
    }
  }

  /**
   * What Google granted for an authorization code: the access token, the refresh token of the
   * offline consent and the access token's lifetime.
   */
  public record CodeGrant(String accessToken, String refreshToken, Duration expiresIn) {
    public CodeGrant {
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(refreshToken, "refreshToken");
    }

    @Override
    public String toString() {
      return "CodeGrant[<redacted>, expiresIn=" + expiresIn + "]";
    }
  }

  /**
   * Google answered with an OAuth error ({@code invalid_grant}: the refresh token was revoked or
   * expired; {@code invalid_client}: the app's id or secret is wrong). The message is Google's
   * error code and description, safe to show.
   */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String error;

    Refused(String error, String message) {
      super(message);
      this.error = error;
    }

    /** Google's error code, such as {@code invalid_grant}. */
    public String error() {
      return error;
    }

    /** The refresh token itself is no good (revoked, expired): the owner must authorise again. */
    public boolean invalidGrant() {
      return "invalid_grant".equals(error);
    }
  }

  /**
   * @param oauthBaseUrl {@code sessionbridge.google.oauth-base-url}, e.g. {@code
   *     https://oauth2.googleapis.com}; {@code /token} is appended
   */
  public GoogleTokenEndpoint(
      String oauthBaseUrl, String clientId, String clientSecret, Duration timeout) {
    String base = oauthBaseUrl.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.tokenUri = URI.create(base + "/token");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * A new access token for {@code refreshToken}.
   *
   * @throws Refused Google answered 400 or 401 with an OAuth error
   * @throws IOException Google could not be reached or answered otherwise (5xx): try again later
   */
  public Grant refresh(String refreshToken) throws Refused, IOException {
    String form =
        "grant_type=refresh_token&refresh_token="
            + enc(refreshToken)
            + "&client_id="
            + enc(clientId)
            + "&client_secret="
            + enc(clientSecret);
    JsonNode body = post(form);
    return new Grant(accessToken(body), expiresIn(body));
  }

  /**
   * Spends an authorization code of the consent screen ({@code grant_type=authorization_code}) with
   * the PKCE verifier of its challenge and the {@code redirect_uri} it was issued for.
   *
   * @throws Refused Google answered 400 or 401 with an OAuth error ({@code invalid_grant}: the code
   *     is unknown, spent, expired or does not match the verifier)
   * @throws IOException Google could not be reached, answered otherwise, or sent no refresh token
   */
  public CodeGrant exchange(String code, String codeVerifier, String redirectUri)
      throws Refused, IOException {
    String form =
        "grant_type=authorization_code&code="
            + enc(code)
            + "&code_verifier="
            + enc(codeVerifier)
            + "&redirect_uri="
            + enc(redirectUri)
            + "&client_id="
            + enc(clientId)
            + "&client_secret="
            + enc(clientSecret);
    JsonNode body = post(form);
    JsonNode refresh = body.get("refresh_token");
    if (refresh == null || !refresh.isString() || refresh.asString().isBlank()) {
      throw new IOException(
          "Google's token endpoint answered without a refresh token (offline access not granted)");
    }
    return new CodeGrant(accessToken(body), refresh.asString(), expiresIn(body));
  }

  private static String accessToken(JsonNode body) throws IOException {
    JsonNode access = body.get("access_token");
    if (access == null || !access.isString() || access.asString().isBlank()) {
      throw new IOException("Google's token endpoint answered 200 without an access token");
    }
    return access.asString();
  }

  private static Duration expiresIn(JsonNode body) {
    JsonNode expires = body.get("expires_in");
    return Duration.ofSeconds(expires == null ? 3599 : Math.max(1, expires.asLong()));
  }

  /** The 200 answer's JSON; {@link Refused} for an OAuth error, {@link IOException} otherwise. */
  private JsonNode post(String form) throws Refused, IOException {
    HttpRequest request =
        HttpRequest.newBuilder(tokenUri)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking Google's token endpoint", e);
    }
    int status = response.statusCode();
    JsonNode body;
    try {
      body = MAPPER.readTree(response.body());
    } catch (RuntimeException e) {
      throw new IOException("Google's token endpoint answered HTTP " + status + " without JSON");
    }
    if (status == 200) {
      return body;
    }
    if (status == 400 || status == 401) {
      String error = text(body, "error", "unknown_error");
      String description = text(body, "error_description", "");
      throw new Refused(
          error,
          "Google answered HTTP "
              + status
              + " "
              + error
              + (description.isBlank() ? "" : ": " + description));
    }
    throw new IOException("Google's token endpoint answered HTTP " + status);
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode node = body == null ? null : body.get(field);
    return node == null || !node.isString() ? fallback : node.asString();
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "GoogleTokenEndpoint[" + tokenUri + ", clientId=" + clientId + "]";
  }
}
