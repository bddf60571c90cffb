package org.sessionbridge.core.credential;

import java.time.Instant;
import java.util.UUID;

/**
 * A practice's connected vendor account, without its secret (see {@link ConnectionStore#secret}).
 *
 * @param accountRef the vendor's account or tenant id
 * @param clientId the app's client id (not secret)
 * @param status CONNECTED once the vendor accepted the credentials
 */
public record Connection(
    UUID practiceId,
    Kind kind,
    String accountRef,
    String clientId,
    String status,
    Instant checkedAt,
    Instant updatedAt) {

  /** Which vendor. */
  public enum Kind {
    ZOOM,
    MICROSOFT
  }
}
