package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.zoom.ZoomAuthorizationException;
import org.sessionbridge.connector.zoom.ZoomException;
import org.sessionbridge.connector.zoom.ZoomUser;
import org.sessionbridge.connector.zoom.ZoomUserAccounts;
import org.sessionbridge.connector.zoom.ZoomUserGrant;
import org.sessionbridge.connector.zoom.ZoomUserOAuth;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.VideoPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Zoom sends a provider back after consenting ({@code redirect_uri}). No API key: the {@code
 * state} is the credential (single use, ten minutes, bound to the provider it was issued for), and
 * the PKCE verifier that only the hub holds proves the code to Zoom. On success the tokens are
 * stored sealed, the provider's Zoom video service hosts on {@code personal:<providerId>}, and the
 * practice's parked Zoom meetings resume. The answer is a plain page without secrets or names.
 */
@RestController
@Tag(name = "Providers")
final class ZoomOAuthCallback {

  private static final Logger log = LoggerFactory.getLogger(ZoomOAuthCallback.class);

  static final String CONNECTED_PAGE =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          + "<title>Zoom connected</title></head><body>"
          + "<h1>Zoom connected — you can close this window</h1>"
          + "<p>Your telehealth sessions will be scheduled on your own Zoom account.</p>"
          + "</body></html>\n";

  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<ZoomUserOAuth> oauth;
  private final PracticeStore practices;
  private final MeetingStore meetings;

  ZoomOAuthCallback(
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<ZoomUserOAuth> oauth,
      PracticeStore practices,
      MeetingStore meetings) {
    this.tokens = tokens;
    this.oauth = oauth;
    this.practices = practices;
    this.meetings = meetings;
  }

  @GetMapping("/oauth/zoom/callback")
  @Operation(
      summary = "Zoom's redirect after a provider consented (user-level OAuth)",
      description =
          "Not called by practices. 200 with a small page once the provider's Zoom account is"
              + " connected; 422 naming state (unknown, expired or used) or code (refused by"
              + " Zoom); 503 when Zoom could not be reached.")
  ResponseEntity<String> callback(
      @RequestParam(name = "code", required = false) @Nullable String code,
      @RequestParam(name = "state", required = false) @Nullable String state,
      @RequestParam(name = "error", required = false) @Nullable String error) {
    ZoomUserOAuth app = ZoomAuthorizationApi.app(oauth);
    ProviderTokenStore store = ZoomAuthorizationApi.store(tokens);
    OAuthCallbacks.Returned returned =
        OAuthCallbacks.accept(store, Connection.Kind.ZOOM, "Zoom", state, code, error);
    ProviderTokenStore.Pending pending = returned.pending();
    ZoomUserGrant grant;
    ZoomUser user;
    try {
      grant = app.exchange(returned.code(), pending.codeVerifier());
      user = app.currentUser(grant.accessToken());
    } catch (ZoomAuthorizationException e) {
      throw InvalidInputException.rule(
          "code",
          "Zoom refused the authorization code: "
              + e.getMessage()
              + "; start the authorization again");
    } catch (ZoomException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Zoom unavailable",
          "Zoom could not be asked to confirm the authorization ("
              + e.getMessage()
              + "); start the authorization again later");
    }
    store.save(
        pending.practiceId(),
        pending.providerId(),
        Connection.Kind.ZOOM,
        user.id(),
        new ProviderTokenStore.Tokens(
            grant.accessToken(), grant.refreshToken(), grant.expiresIn()));
    practices.useHostAccount(
        pending.practiceId(),
        pending.providerId(),
        VideoPlatform.ZOOM,
        ZoomUserAccounts.personalHost(pending.providerId()));
    // Meetings parked for want of this authorisation (or refused for the old host) go ahead now.
    meetings.resume(pending.practiceId(), VideoPlatform.ZOOM);
    log.info(
        "provider {} of practice {} connected a personal Zoom account",
        pending.providerId(),
        pending.practiceId());
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .header("Content-Security-Policy", "default-src 'none'")
        .body(CONNECTED_PAGE);
  }
}
