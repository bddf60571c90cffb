package org.sessionbridge.connector.zoom;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link ZoomWebhooks#verify}: accepted, or refused for one {@link Refusal} reason.
 * Answer a refused request with 401 and do not parse its body.
 *
 * @param refusal why the request was refused; {@code null} when it was accepted
 */
public record ZoomWebhookCheck(@Nullable Refusal refusal) {

  private static final ZoomWebhookCheck ACCEPTED = new ZoomWebhookCheck(null);

  /** Why a webhook request was refused. */
  public enum Refusal {
    /** {@code x-zm-request-timestamp} or {@code x-zm-signature} is absent or blank. */
    MISSING_HEADERS,
    /** {@code x-zm-request-timestamp} is not a plain unsigned number. */
    MALFORMED_TIMESTAMP,
    /** The timestamp is more than the tolerance in the past or in the future. */
    STALE,
    /** The signature is not {@code v0=} + the HMAC of this body under our secret token. */
    BAD_SIGNATURE
  }

  static ZoomWebhookCheck accepted() {
    return ACCEPTED;
  }

  static ZoomWebhookCheck refused(Refusal refusal) {
    return new ZoomWebhookCheck(refusal);
  }

  /** Whether the request is Zoom's and fresh. */
  public boolean isAccepted() {
    return refusal == null;
  }
}
