package org.sessionbridge.connector.zoom;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Zoom may accept the same call later: 429 rate limits, 5xx, timeouts and broken connections. Note
 * that a timeout or a reset during a create may mean that Zoom did create the meeting.
 *
 * <p>A 429 comes in two kinds (API-NOTES §1.5): the per-second limit, over within a second or two,
 * and the <b>daily</b> limit (100 creates/updates per host user and UTC day, or an account's daily
 * quota), over only at {@link #dailyLimitResumesAt()}. {@link #isDailyLimit()} tells them apart.
 */
public final class ZoomTransientException extends ZoomException {

  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;
  private final @Nullable Instant dailyLimitResumesAt;

  ZoomTransientException(
      String message,
      int httpStatus,
      @Nullable Integer zoomCode,
      @Nullable String trackingId,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    this(message, httpStatus, zoomCode, trackingId, retryAfter, null, cause);
  }

  ZoomTransientException(
      String message,
      int httpStatus,
      @Nullable Integer zoomCode,
      @Nullable String trackingId,
      @Nullable Duration retryAfter,
      @Nullable Instant dailyLimitResumesAt,
      @Nullable Throwable cause) {
    super(message, httpStatus, zoomCode, trackingId, cause);
    this.retryAfter = retryAfter;
    this.dailyLimitResumesAt = dailyLimitResumesAt;
  }

  /**
   * How long Zoom asked us to wait (from {@code Retry-After} as seconds or as a timestamp, or from
   * {@code X-RateLimit-Reset}); empty when Zoom said nothing, so the caller backs off on its own.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Whether this is Zoom's daily limit ({@code X-RateLimit-Type: Daily-limit}, or a message about
   * the daily rate limit) rather than a per-second one: retrying before {@link
   * #dailyLimitResumesAt()} only wastes calls.
   */
  public boolean isDailyLimit() {
    return dailyLimitResumesAt != null;
  }

  /**
   * For a daily limit, when Zoom accepts calls again: the {@code Retry-After} time when Zoom sent
   * one, else the next 00:00 UTC (when Zoom resets the per-user budget); empty otherwise.
   */
  public Optional<Instant> dailyLimitResumesAt() {
    return Optional.ofNullable(dailyLimitResumesAt);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
