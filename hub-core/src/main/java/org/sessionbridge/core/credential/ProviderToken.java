package org.sessionbridge.core.credential;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A provider's own vendor account, authorised by the provider (user-level OAuth), without its
 * tokens (see {@link ProviderTokenStore#accessToken}).
 *
 * @param accountRef the vendor's id of the user who authorised (Zoom user id)
 * @param status {@link Connection#CONNECTED}, or {@link Connection#NEEDS_REAUTHORIZATION} once the
 *     vendor refused the refresh token (revoked, expired, app removed): the provider must authorise
 *     again
 * @param statusReason the vendor's reason, when it refused
 * @param accessExpiresAt when the cached access token runs out
 * @param authorizedAt when the provider last authorised
 * @param refreshedAt when the tokens were last refreshed, if ever
 */
public record ProviderToken(
    UUID practiceId,
    UUID providerId,
    Connection.Kind kind,
    String accountRef,
    String status,
    @Nullable String statusReason,
    Instant accessExpiresAt,
    Instant authorizedAt,
    @Nullable Instant refreshedAt,
    Instant updatedAt) {

  public boolean connected() {
    return Connection.CONNECTED.equals(status);
  }
}
