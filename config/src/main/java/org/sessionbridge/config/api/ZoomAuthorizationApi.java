package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.zoom.ZoomUserOAuth;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderToken;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.practice.PracticeStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A provider's personal Zoom account (user-level OAuth, authorization code with PKCE): the practice
 * starts the authorisation and sends the provider to the answered {@code authorizeUrl}; Zoom sends
 * the provider back to {@code /oauth/zoom/callback} ({@link ZoomOAuthCallback}), which stores the
 * tokens and makes the provider's Zoom meetings go to their own account.
 */
@RestController
@RequestMapping("/api/v1/providers/{id}/zoom-authorization")
@io.swagger.v3.oas.annotations.tags.Tag(name = "Providers")
final class ZoomAuthorizationApi {

  private final PracticeStore practices;
  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<ZoomUserOAuth> oauth;

  ZoomAuthorizationApi(
      PracticeStore practices,
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<ZoomUserOAuth> oauth) {
    this.practices = practices;
    this.tokens = tokens;
    this.oauth = oauth;
  }

  /**
   * @param authorizeUrl Zoom's consent page for the provider (single use, carries the state)
   * @param expiresAt the provider must finish before this
   */
  record AuthorizationStart(String authorizeUrl, String expiresAt) {}

  /**
   * @param status {@code CONNECTED}, or {@code NEEDS_REAUTHORIZATION} after Zoom refused the
   *     refresh token (revoked, app removed): start the authorisation again
   * @param zoomUserId the Zoom user who authorised
   * @param problem Zoom's reason when it refused
   */
  record AuthorizationView(
      String status,
      String zoomUserId,
      String authorizedAt,
      @Nullable String refreshedAt,
      @Nullable String problem) {
    static AuthorizationView of(ProviderToken t) {
      return new AuthorizationView(
          t.status(),
          t.accountRef(),
          t.authorizedAt().toString(),
          t.refreshedAt() == null ? null : String.valueOf(t.refreshedAt()),
          t.statusReason());
    }
  }

  @PostMapping
  @Operation(
      summary = "Start connecting the provider's personal Zoom account",
      description =
          "Answers the Zoom URL to send the provider to (valid 10 minutes, single use). After"
              + " consent Zoom returns the provider to /oauth/zoom/callback; from then on the"
              + " provider's Zoom meetings are made on their own account. 503 when the hub has no"
              + " Zoom user-level app (sessionbridge.zoom.user-oauth.*).")
  AuthorizationStart start(Caller.PracticeMember caller, @PathVariable UUID id) {
    ZoomUserOAuth app = app(oauth);
    ProviderTokenStore store = store(tokens);
    practices.staff(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("provider"));
    ProviderTokenStore.Start start = store.begin(caller.practiceId(), id, Connection.Kind.ZOOM);
    return new AuthorizationStart(
        app.authorizeUrl(start.state(), start.codeChallenge()).toString(),
        start.expiresAt().toString());
  }

  @GetMapping
  @Operation(summary = "The provider's personal Zoom authorisation, without its tokens")
  AuthorizationView status(Caller.PracticeMember caller, @PathVariable UUID id) {
    ProviderTokenStore store = store(tokens);
    practices.staff(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("provider"));
    return store
        .find(caller.practiceId(), id, Connection.Kind.ZOOM)
        .map(AuthorizationView::of)
        .orElseThrow(() -> new NotFoundException("Zoom authorization"));
  }

  static ZoomUserOAuth app(ObjectProvider<ZoomUserOAuth> oauth) {
    ZoomUserOAuth app = oauth.getIfAvailable();
    if (app == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Personal Zoom accounts not configured",
          "the operator must set sessionbridge.zoom.user-oauth.client-id and"
              + " sessionbridge.zoom.user-oauth.client-secret (a Zoom user-level OAuth app whose"
              + " redirect URL is {sessionbridge.public-base-url}/oauth/zoom/callback)");
    }
    return app;
  }

  static ProviderTokenStore store(ObjectProvider<ProviderTokenStore> tokens) {
    ProviderTokenStore store = tokens.getIfAvailable();
    if (store == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Connections not configured",
          "the operator must set sessionbridge.security.encryption-keys.<id> (base64 of 32 random"
              + " bytes) and sessionbridge.security.active-key-id before accounts can be connected");
    }
    return store;
  }
}
