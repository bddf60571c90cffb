package org.sessionbridge.connector.microsoft;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Microsoft identity platform's token endpoint, {@code
 * {login-base-url}/{tenant}/oauth2/v2.0/token}: app-only tokens for a practice's app registration
 * ({@code client_credentials}, scope {@code https://graph.microsoft.com/.default}), the check made
 * when a practice connects, and the delegated flow of the hub's own app (authorization code with
 * PKCE, refresh with refresh-token rotation).
 *
 * <p>Tokens and client secrets are never logged or put in a message. Microsoft's refusals are
 * reported with its error code, the AADSTS code and the first line of its description (Microsoft
 * never echoes the secret; the text is still scrubbed of it).
 *
 * <p><b>Threading.</b> Thread-safe; blocking.
 */
public final class MicrosoftTokenEndpoint {

  /** App-only access to everything the app registration was granted in the tenant. */
  public static final String APP_SCOPE = "https://graph.microsoft.com/.default";

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{4,9})");

  private final String loginBaseUrl;
  private final Duration timeout;
  private final HttpClient http;

  /** An access token and its lifetime. */
  public record Grant(String accessToken, Duration expiresIn) {
    public Grant {
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(expiresIn, "expiresIn");
    }

    @Override
    public String toString() {
      return "Grant[<redacted>, expiresIn=" + expiresIn + "]";
    }
  }

  /**
   * A delegated grant: the access token, the refresh token (a new one on every refresh: Microsoft
   * rotates them, store it in place of the spent one) and the access token's lifetime.
   */
  public record CodeGrant(String accessToken, String refreshToken, Duration expiresIn) {
    public CodeGrant {
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(refreshToken, "refreshToken");
      Objects.requireNonNull(expiresIn, "expiresIn");
    }

    @Override
    public String toString() {
      return "CodeGrant[<redacted>, expiresIn=" + expiresIn + "]";
    }
  }

  /**
   * Microsoft answered with an OAuth error ({@code invalid_client}: wrong secret or app id; {@code
   * unauthorized_client}, {@code invalid_request}: tenant unknown, app not in the tenant). The
   * message is Microsoft's code and reason, safe to show to the practice.
   */
  public static class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String error;
    private final @Nullable String aadsts;

    Refused(String error, @Nullable String aadsts, String message) {
      super(message);
      this.error = error;
      this.aadsts = aadsts;
    }

    /** The OAuth error code, such as {@code invalid_client}. */
    public String error() {
      return error;
    }

    /** Microsoft's {@code AADSTS…} code, such as {@code AADSTS7000215}, if it sent one. */
    public java.util.Optional<String> aadsts() {
      return java.util.Optional.ofNullable(aadsts);
    }
  }

  /**
   * The refresh token or code was refused ({@code invalid_grant}: consent revoked, password reset,
   * token expired or spent): the provider must authorise again.
   */
  public static final class ConsentRevoked extends Refused {
    private static final long serialVersionUID = 1L;

    ConsentRevoked(@Nullable String aadsts, String message) {
      super("invalid_grant", aadsts, message);
    }
  }

  /** How a credentials check ended. */
  public enum Outcome {
    /** Microsoft issued a token for these credentials. */
    OK,
    /** Microsoft refused them; {@link TokenCheck#reason()} says why. Nothing will work. */
    REFUSED,
    /** Microsoft could not be asked (network, 5xx): try again later. */
    UNAVAILABLE
  }

  /**
   * The answer of {@link #check}: OK, or refused / unavailable with a reason safe to show (never
   * the secret).
   */
  public record TokenCheck(Outcome outcome, String reason) {
    public TokenCheck {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
    }

    public boolean ok() {
      return outcome == Outcome.OK;
    }
  }

  public MicrosoftTokenEndpoint(MicrosoftSettings settings) {
    this(settings.loginBaseUrl(), settings.readTimeout());
  }

  MicrosoftTokenEndpoint(String loginBaseUrl, Duration timeout) {
    this.loginBaseUrl = Objects.requireNonNull(loginBaseUrl, "loginBaseUrl");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * An app-only token for the practice's app registration ({@code grant_type=client_credentials}).
   *
   * @throws Refused Microsoft answered 400 or 401 with an OAuth error
   * @throws IOException Microsoft could not be reached or answered otherwise (5xx)
   */
  public Grant clientCredentials(MicrosoftCredentials credentials) throws Refused, IOException {
    String form =
        "grant_type=client_credentials&client_id="
            + enc(credentials.clientId())
            + "&client_secret="
            + enc(credentials.clientSecret())
            + "&scope="
            + enc(APP_SCOPE);
    JsonNode body = post(credentials.tenantId(), form, credentials.clientSecret());
    return new Grant(accessToken(body), expiresIn(body));
  }

  /**
   * Whether Microsoft issues a token for {@code credentials}: what {@code PUT
   * /api/v1/connections/microsoft} asks before storing anything. Never throws for Microsoft's
   * answers.
   */
  public TokenCheck check(MicrosoftCredentials credentials) {
    try {
      clientCredentials(credentials);
      return new TokenCheck(Outcome.OK, "Microsoft issued a token for these credentials");
    } catch (Refused refused) {
      return new TokenCheck(Outcome.REFUSED, refused.getMessage());
    } catch (IOException e) {
      return new TokenCheck(Outcome.UNAVAILABLE, e.getMessage());
    }
  }

  /**
   * Spends an authorization code of {@link MicrosoftConsent} with the PKCE verifier of its
   * challenge.
   *
   * @throws ConsentRevoked the code is unknown, spent, expired or does not match the verifier
   * @throws Refused another OAuth error (the hub's app settings)
   * @throws IOException Microsoft could not be reached, answered otherwise, or sent no refresh
   *     token
   */
  public CodeGrant exchange(MicrosoftDelegatedApp app, String code, String codeVerifier)
      throws Refused, IOException {
    String form =
        "grant_type=authorization_code&client_id="
            + enc(app.clientId())
            + "&client_secret="
            + enc(app.clientSecret())
            + "&code="
            + enc(code)
            + "&code_verifier="
            + enc(codeVerifier)
            + "&redirect_uri="
            + enc(app.redirectUri())
            + "&scope="
            + enc(MicrosoftConsent.SCOPE);
    JsonNode body = post(app.tenant(), form, app.clientSecret());
    String refresh = text(body, "refresh_token", "");
    if (refresh.isBlank()) {
      throw new IOException(
          "Microsoft's token endpoint answered without a refresh token (offline_access not"
              + " granted)");
    }
    return new CodeGrant(accessToken(body), refresh, expiresIn(body));
  }

  /**
   * Spends a refresh token. Microsoft rotates refresh tokens: the answer's one replaces {@code
   * refreshToken} (when Microsoft sends none, the spent one stays valid and is returned).
   *
   * @throws ConsentRevoked {@code invalid_grant}: the provider must authorise again
   * @throws Refused another OAuth error (the hub's app settings)
   * @throws IOException Microsoft could not be reached or answered otherwise (5xx)
   */
  public CodeGrant refresh(MicrosoftDelegatedApp app, String refreshToken)
      throws Refused, IOException {
    String form =
        "grant_type=refresh_token&client_id="
            + enc(app.clientId())
            + "&client_secret="
            + enc(app.clientSecret())
            + "&refresh_token="
            + enc(refreshToken)
            + "&scope="
            + enc(MicrosoftConsent.SCOPE);
    JsonNode body = post(app.tenant(), form, app.clientSecret());
    String rotated = text(body, "refresh_token", "");
    return new CodeGrant(
        accessToken(body), rotated.isBlank() ? refreshToken : rotated, expiresIn(body));
  }

  private static String accessToken(JsonNode body) throws IOException {
    String access = text(body, "access_token", "");
    if (access.isBlank()) {
      throw new IOException("Microsoft's token endpoint answered 200 without an access token");
    }
    return access;
  }

  private static Duration expiresIn(JsonNode body) {
    JsonNode expires = body.get("expires_in");
    long seconds = expires == null ? 3599 : expires.asLong(3599);
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  /** The 200 answer's JSON; {@link Refused} for an OAuth error, {@link IOException} otherwise. */
  private JsonNode post(String tenant, String form, String secret) throws Refused, IOException {
    URI uri = URI.create(loginBaseUrl + "/" + enc(tenant) + "/oauth2/v2.0/token");
    HttpRequest request =
        HttpRequest.newBuilder(uri)
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
      throw new IOException("interrupted while asking Microsoft's token endpoint", e);
    } catch (IOException e) {
      throw new IOException(
          "Microsoft's token endpoint could not be reached (" + e.getClass().getSimpleName() + ")");
    }
    int status = response.statusCode();
    JsonNode body;
    try {
      body = MAPPER.readTree(response.body());
    } catch (RuntimeException e) {
      throw new IOException("Microsoft's token endpoint answered HTTP " + status + " without JSON");
    }
    if (status == 200) {
      return body;
    }
    if ((status == 400 || status == 401) && body != null && body.has("error")) {
      String error = text(body, "error", "unknown_error");
      if (!error.matches("[a-z_]{1,64}")) {
        error = "unknown_error";
      }
      String description = firstLine(text(body, "error_description", ""), secret);
      Matcher aadsts = AADSTS.matcher(description);
      String code = aadsts.find() ? aadsts.group() : null;
      String message =
          "Microsoft answered HTTP "
              + status
              + " "
              + error
              + (description.isBlank() ? "" : ": " + description);
      if ("invalid_grant".equals(error)) {
        throw new ConsentRevoked(code, message);
      }
      throw new Refused(error, code, message);
    }
    throw new IOException("Microsoft's token endpoint answered HTTP " + status);
  }

  /** Microsoft's description up to its "Trace ID" lines, without the secret, at most 300 chars. */
  private static String firstLine(String description, String secret) {
    String line = description.split("\\r?\\n|\\s+Trace ID:", 2)[0].strip();
    if (!secret.isEmpty()) {
      line = line.replace(secret, "<redacted>");
    }
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  private static String text(@Nullable JsonNode body, String field, String fallback) {
    JsonNode node = body == null ? null : body.get(field);
    return node == null || !node.isString() ? fallback : node.asString();
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "MicrosoftTokenEndpoint[" + loginBaseUrl + "]";
  }
}
