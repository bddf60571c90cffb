package org.sessionbridge.connector.zoom;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Zoom may accept the same call later: 429 rate limits, 5xx, timeouts and broken connections. Note
 * that a timeout or a reset during a create may mean that Zoom did create the meeting.
 */
public final class ZoomTransientException extends ZoomException {

  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  ZoomTransientException(
      String message,
      int httpStatus,
      @Nullable Integer zoomCode,
      @Nullable String trackingId,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super(message, httpStatus, zoomCode, trackingId, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * How long Zoom asked us to wait (from {@code Retry-After} as seconds or as a timestamp, or from
   * {@code X-RateLimit-Reset}); empty when Zoom said nothing, so the caller backs off on its own.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
