package org.sessionbridge.connector.microsoft;

import java.util.Optional;
import java.util.UUID;

/**
 * Where {@link TeamsMeetingPlatform} finds a practice's Microsoft 365 app credentials, typically
 * the practice's sealed connection (kind {@code MICROSOFT}) in the store, opened by the composition
 * root (the Microsoft twin of the Zoom connector's {@code ZoomAccounts}).
 *
 * <p>Called on every platform call, from many threads at once, so it must be thread-safe and cheap
 * (cache if reading is expensive). A changed answer (record equality) makes the platform drop the
 * practice's cached token and start with the new credentials.
 */
@FunctionalInterface
public interface MicrosoftTenants {

  /** The practice's credentials, or empty when the practice has not connected Microsoft 365. */
  Optional<MicrosoftCredentials> credentials(UUID practiceId);
}
