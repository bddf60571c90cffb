package org.sessionbridge.connector.microsoft;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Microsoft identity platform's consent screen for the hub's delegated app (authorization code
 * with PKCE S256): the URL a provider is sent to when linking their Outlook calendar, asking for a
 * refresh token ({@code offline_access}) and the least privilege the calendar routes need ({@code
 * Calendars.ReadWrite}: read busy time, write our events, subscribe to changes). The code that
 * comes back to {@link MicrosoftDelegatedApp#redirectUri()} is spent at {@link
 * MicrosoftTokenEndpoint#exchange}.
 *
 * <p><b>Threading.</b> Immutable, thread-safe.
 */
public final class MicrosoftConsent {

  /** Least privilege for the calendar link, plus a refresh token. */
  public static final String SCOPE =
      "offline_access https://graph.microsoft.com/Calendars.ReadWrite";

  private final String loginBaseUrl;
  private final MicrosoftDelegatedApp app;

  public MicrosoftConsent(MicrosoftSettings settings, MicrosoftDelegatedApp app) {
    this.loginBaseUrl = Objects.requireNonNull(settings, "settings").loginBaseUrl();
    this.app = Objects.requireNonNull(app, "app");
  }

  /** Where Microsoft sends the provider back with the code and the state. */
  public String redirectUri() {
    return app.redirectUri();
  }

  /**
   * {@code {login-base-url}/{tenant}/oauth2/v2.0/authorize?...} for one flow: its {@code state},
   * the S256 {@code codeChallenge} and, optionally, the account to preselect.
   */
  public URI authorizeUrl(String state, String codeChallenge, @Nullable String loginHint) {
    String query =
        "client_id="
            + enc(app.clientId())
            + "&response_type=code"
            + "&redirect_uri="
            + enc(app.redirectUri())
            + "&response_mode=query"
            + "&scope="
            + enc(SCOPE)
            + "&state="
            + enc(Objects.requireNonNull(state, "state"))
            + "&code_challenge="
            + enc(Objects.requireNonNull(codeChallenge, "codeChallenge"))
            + "&code_challenge_method=S256"
            + "&prompt=select_account"
            + (loginHint == null || loginHint.isBlank() ? "" : "&login_hint=" + enc(loginHint));
    return URI.create(loginBaseUrl + "/" + app.tenant() + "/oauth2/v2.0/authorize?" + query);
  }

  static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "MicrosoftConsent[" + loginBaseUrl + ", " + app + "]";
  }
}
