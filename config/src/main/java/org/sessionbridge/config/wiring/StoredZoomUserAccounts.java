package org.sessionbridge.config.wiring;

import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.connector.zoom.ZoomAuthorizationException;
import org.sessionbridge.connector.zoom.ZoomUserAccounts;
import org.sessionbridge.connector.zoom.ZoomUserGrant;
import org.sessionbridge.connector.zoom.ZoomUserOAuth;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Providers' personal Zoom accounts for the connector: their tokens from the {@link
 * ProviderTokenStore} (refreshed there under the row lock, with rotation, through {@link
 * ZoomUserOAuth}), and whose meeting is whose from the {@link MeetingStore} (the host recorded with
 * the meeting). Zoom refusing a refresh for good marks the authorisation {@code
 * NEEDS_REAUTHORIZATION}; a refresh that could not be sent changes nothing.
 */
final class StoredZoomUserAccounts implements ZoomUserAccounts {

  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<ZoomUserOAuth> oauth;
  private final MeetingStore meetings;

  StoredZoomUserAccounts(
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<ZoomUserOAuth> oauth,
      MeetingStore meetings) {
    this.tokens = tokens;
    this.oauth = oauth;
    this.meetings = meetings;
  }

  @Override
  public Optional<String> accessToken(UUID practiceId, UUID providerId) {
    ProviderTokenStore store = tokens.getIfAvailable();
    if (store == null) {
      return Optional.empty();
    }
    return store.accessToken(
        practiceId,
        providerId,
        Connection.Kind.ZOOM,
        refreshToken -> {
          ZoomUserOAuth app = oauth.getIfAvailable();
          if (app == null) {
            // Not Zoom's refusal: the operator removed the app's settings. Keep the tokens.
            throw new IllegalStateException(
                "sessionbridge.zoom.user-oauth.client-id and client-secret are not set: personal"
                    + " Zoom tokens cannot be refreshed");
          }
          ZoomUserGrant grant;
          try {
            grant = app.refresh(refreshToken);
          } catch (ZoomAuthorizationException refused) {
            throw new ProviderTokenStore.RefreshRefused(refused.getMessage());
          }
          return new ProviderTokenStore.Tokens(
              grant.accessToken(), grant.refreshToken(), grant.expiresIn());
        });
  }

  @Override
  public void invalidate(UUID practiceId, UUID providerId, String rejected) {
    ProviderTokenStore store = tokens.getIfAvailable();
    if (store != null) {
      store.invalidate(practiceId, providerId, Connection.Kind.ZOOM, rejected);
    }
  }

  @Override
  public Optional<UUID> personalHostOf(UUID practiceId, String meetingId) {
    return meetings
        .byMeetingId(VideoPlatform.ZOOM, meetingId)
        .filter(w -> w.practiceId().equals(practiceId))
        .map(MeetingWork::meetingHost)
        .flatMap(ZoomUserAccounts::personalProvider);
  }

  @Override
  public String toString() {
    return "StoredZoomUserAccounts";
  }
}
