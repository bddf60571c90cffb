package org.sessionbridge.core.credential;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A practice's connected vendor account, without its secret (see {@link ConnectionStore#secret}).
 *
 * @param accountRef the vendor's account or tenant id
 * @param clientId the app's client id (not secret)
 * @param status {@code CONNECTED} once the vendor accepted the credentials; {@code
 *     NEEDS_REAUTHORIZATION} after the vendor refused them later (revoked, app deactivated)
 * @param statusReason why the vendor refused them, when it did
 */
public record Connection(
    UUID practiceId,
    Kind kind,
    String accountRef,
    String clientId,
    String status,
    Instant checkedAt,
    Instant updatedAt,
    @Nullable String statusReason) {

  public static final String CONNECTED = "CONNECTED";
  public static final String NEEDS_REAUTHORIZATION = "NEEDS_REAUTHORIZATION";

  /** Which vendor. */
  public enum Kind {
    ZOOM,
    MICROSOFT,
    /** Providers' own Google accounts (calendar links); never a practice connection. */
    GOOGLE
  }
}
