package org.sessionbridge.connector.google;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Google's consent screen for the hub's web application client (authorization code with PKCE,
 * API-NOTES §3): the URL a provider is sent to, asking for offline access (a refresh token) and the
 * least privilege the calendar routes need — {@code calendar.readonly} for busy time and the
 * calendar list, {@code calendar.events} for our events. The code that comes back to {@link
 * #redirectUri()} is spent at {@link GoogleTokenEndpoint#exchange}.
 *
 * <p><b>Threading.</b> Immutable, thread-safe.
 */
public final class GoogleConsent {

  /** Least privilege: read calendars and busy time, write our events. */
  public static final String SCOPE =
      "https://www.googleapis.com/auth/calendar.events"
          + " https://www.googleapis.com/auth/calendar.readonly";

  private final String authorizeUrl;
  private final String clientId;
  private final String redirectUri;

  /**
   * @param authorizeUrl {@code sessionbridge.google.authorize-url}, e.g. {@code
   *     https://accounts.google.com/o/oauth2/v2/auth}
   * @param redirectUri {@code {public-base-url}/oauth/google/callback}, registered with the client
   */
  public GoogleConsent(String authorizeUrl, String clientId, String redirectUri) {
    this.authorizeUrl = Objects.requireNonNull(authorizeUrl, "authorizeUrl").strip();
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri");
  }

  /** Where Google sends the provider back with the code and the state. */
  public String redirectUri() {
    return redirectUri;
  }

  /** The consent URL for one flow: its {@code state} and the S256 {@code codeChallenge}. */
  public URI authorizeUrl(String state, String codeChallenge) {
    return authorizeUrl(state, codeChallenge, null);
  }

  /**
   * As {@link #authorizeUrl(String, String)}, with Google's {@code login_hint}: the provider's
   * e-mail preselects their Google account on the consent screen (they can still pick another).
   */
  public URI authorizeUrl(String state, String codeChallenge, @Nullable String loginHint) {
    String query =
        "response_type=code"
            + "&client_id="
            + enc(clientId)
            + "&redirect_uri="
            + enc(redirectUri)
            + "&scope="
            + enc(SCOPE)
            + "&access_type=offline"
            + "&prompt=consent"
            + "&include_granted_scopes=false"
            + "&state="
            + enc(Objects.requireNonNull(state, "state"))
            + "&code_challenge="
            + enc(Objects.requireNonNull(codeChallenge, "codeChallenge"))
            + "&code_challenge_method=S256"
            + (loginHint == null || loginHint.isBlank() ? "" : "&login_hint=" + enc(loginHint));
    return URI.create(authorizeUrl + (authorizeUrl.contains("?") ? "&" : "?") + query);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "GoogleConsent[" + authorizeUrl + ", clientId=" + clientId + "]";
  }
}
