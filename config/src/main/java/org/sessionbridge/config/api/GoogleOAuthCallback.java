package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.google.GoogleConsent;
import org.sessionbridge.connector.google.GoogleTokenEndpoint;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.error.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Google sends a provider back after consenting ({@code redirect_uri}). No API key: the
 * {@code state} is the credential (single use, ten minutes, bound to the provider it was issued
 * for), and the PKCE verifier that only the hub holds proves the code to Google. On success the
 * refresh token is stored sealed as the links API stores it ({@link CalendarLinks}), the provider's
 * parked Google links resume, and without a Google link yet the provider picks their calendars
 * ({@link CalendarChoice}). The answer is a plain page without secrets.
 */
@RestController
@Tag(name = "Providers")
final class GoogleOAuthCallback {

  private static final Logger log = LoggerFactory.getLogger(GoogleOAuthCallback.class);

  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<GoogleConsent> consent;
  private final ObjectProvider<GoogleTokenEndpoint> endpoint;
  private final CalendarLinks links;
  private final CalendarChoice choice;

  GoogleOAuthCallback(
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<GoogleConsent> consent,
      ObjectProvider<GoogleTokenEndpoint> endpoint,
      CalendarLinks links,
      CalendarChoice choice) {
    this.tokens = tokens;
    this.consent = consent;
    this.endpoint = endpoint;
    this.links = links;
    this.choice = choice;
  }

  @GetMapping("/oauth/google/callback")
  @Operation(
      summary = "Google's redirect after a provider consented to linking their calendar",
      description =
          "Not called by practices. 200 with the page where the provider picks the calendar that"
              + " receives sessions and those that count as busy (or, when they had linked"
              + " calendars before, a page saying those are used again); 422 naming state (unknown, expired, used or issued for another flow) or"
              + " code (missing or refused by Google); 503 when Google could not be reached.")
  ResponseEntity<String> callback(
      @RequestParam(name = "code", required = false) @Nullable String code,
      @RequestParam(name = "state", required = false) @Nullable String state,
      @RequestParam(name = "error", required = false) @Nullable String error) {
    GoogleConsent app = GoogleAuthorizationApi.app(consent, endpoint);
    GoogleTokenEndpoint google = endpoint.getObject();
    ProviderTokenStore store = ZoomAuthorizationApi.store(tokens);
    OAuthCallbacks.Returned returned =
        OAuthCallbacks.accept(store, Connection.Kind.GOOGLE, "Google", state, code, error);
    ProviderTokenStore.Pending pending = returned.pending();
    GoogleTokenEndpoint.CodeGrant grant;
    try {
      grant = google.exchange(returned.code(), pending.codeVerifier(), app.redirectUri());
    } catch (GoogleTokenEndpoint.Refused e) {
      // Google's reason, never the code.
      throw InvalidInputException.rule(
          "code",
          "Google refused the authorization code: "
              + e.getMessage()
              + "; start the authorization again");
    } catch (java.io.IOException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Google unavailable",
          "Google could not be asked to confirm the authorization ("
              + e.getMessage()
              + "); start the authorization again later");
    }
    List<CalendarLink> linked =
        links.authorize(
            store,
            pending.practiceId(),
            pending.providerId(),
            new ProviderTokenStore.Tokens(
                grant.accessToken(), grant.refreshToken(), grant.expiresIn()));
    log.info(
        "provider {} of practice {} consented on Google's screen ({} calendar(s) linked before)",
        pending.providerId(),
        pending.practiceId(),
        linked.size());
    if (!linked.isEmpty()) {
      return CalendarChoice.page(
          HttpStatus.OK, CalendarChoice.reconnectedPage(CalendarLink.Kind.GOOGLE));
    }
    return choice.offer(pending.practiceId(), pending.providerId(), grant.accessToken());
  }
}
