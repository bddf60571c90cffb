package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.google.GoogleConsent;
import org.sessionbridge.connector.google.GoogleTokenEndpoint;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Linking a provider's Google calendar through Google's consent screen (authorization code with
 * PKCE, offline access, least-privilege scopes), as the personal Zoom account is connected ({@link
 * ZoomAuthorizationApi}): the practice starts the authorisation and sends the provider to the
 * answered {@code authorizeUrl}; Google sends the provider back to {@code /oauth/google/callback}
 * ({@link GoogleOAuthCallback}), which stores the refresh token sealed and lets the provider pick
 * the calendar that receives sessions and those that count as busy ({@link CalendarChoice}). {@code
 * GET /oauth/google/start?providerId=} does the same as a redirect, for a practice system that
 * sends the provider's browser on its way itself. A practice system that already holds a refresh
 * token uses {@code POST /api/v1/providers/{id}/calendars} instead.
 */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Providers")
final class GoogleAuthorizationApi {

  private final PracticeStore practices;
  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<GoogleConsent> consent;
  private final ObjectProvider<GoogleTokenEndpoint> endpoint;

  GoogleAuthorizationApi(
      PracticeStore practices,
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<GoogleConsent> consent,
      ObjectProvider<GoogleTokenEndpoint> endpoint) {
    this.practices = practices;
    this.tokens = tokens;
    this.consent = consent;
    this.endpoint = endpoint;
  }

  /**
   * @param authorizeUrl Google's consent page for the provider (single use, carries the state)
   * @param expiresAt the provider must finish before this
   */
  record AuthorizationStart(String authorizeUrl, String expiresAt) {}

  @PostMapping("/api/v1/providers/{id}/google-authorization")
  @Operation(
      summary = "Start linking the provider's Google calendar through Google's consent screen",
      description =
          "Answers the Google URL to send the provider to (valid 10 minutes, single use; scopes"
              + " calendar.events and calendar.readonly, offline access). After consent Google"
              + " returns the provider to /oauth/google/callback, where they pick the calendar"
              + " that receives sessions and those that count as busy. 503 without"
              + " sessionbridge.google.client-id/client-secret or the encryption key.")
  AuthorizationStart start(Caller.PracticeMember caller, @PathVariable UUID id) {
    GoogleConsent app = app(consent, endpoint);
    ProviderTokenStore store = ZoomAuthorizationApi.store(tokens);
    Staff provider =
        practices
            .staff(caller.practiceId(), id)
            .orElseThrow(() -> new NotFoundException("provider"));
    ProviderTokenStore.Start start = store.begin(caller.practiceId(), id, Connection.Kind.GOOGLE);
    return new AuthorizationStart(
        app.authorizeUrl(start.state(), start.codeChallenge(), provider.email()).toString(),
        start.expiresAt().toString());
  }

  @GetMapping("/oauth/google/start")
  @Operation(
      summary = "Start linking the provider's Google calendar, as a redirect",
      description =
          "The same as POST /api/v1/providers/{id}/google-authorization, answered as 302 to"
              + " Google's consent page (Location) for a practice system that forwards it to the"
              + " provider's browser. Needs the practice key like /api/v1: whoever consents links"
              + " their Google account to this provider, so only the practice may start it.")
  ResponseEntity<AuthorizationStart> redirect(
      Caller.PracticeMember caller,
      @RequestParam(name = "providerId", required = false) @Nullable String providerId) {
    return OAuthCallbacks.redirect(start(caller, OAuthCallbacks.providerId(providerId)));
  }

  static GoogleConsent app(
      ObjectProvider<GoogleConsent> consent, ObjectProvider<GoogleTokenEndpoint> endpoint) {
    GoogleConsent app = consent.getIfAvailable();
    if (app == null || endpoint.getIfAvailable() == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Google not configured",
          "the operator must set sessionbridge.google.client-id and"
              + " sessionbridge.google.client-secret (the hub's Google OAuth web client whose"
              + " redirect URI is {sessionbridge.public-base-url}/oauth/google/callback)");
    }
    return app;
  }
}
