package org.sessionbridge.connector.zoom;

import java.util.Optional;
import java.util.UUID;

/**
 * Where {@link ZoomMeetingPlatform} finds a practice's Zoom Server-to-Server app credentials,
 * typically the practice's sealed connection in the store, opened by the composition root.
 *
 * <p>Called on every platform call, from many threads at once, so it must be thread-safe and cheap
 * (cache if reading is expensive). A changed answer (record equality) makes the platform drop its
 * cached client and its token for that practice and start with the new credentials.
 */
@FunctionalInterface
public interface ZoomAccounts {

  /** The practice's credentials, or empty when the practice has not connected Zoom. */
  Optional<ZoomCredentials> credentials(UUID practiceId);
}
