package org.sessionbridge.connector.google;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A failed Google Calendar request, classified by {@link GoogleCalendarErrors}; travels through the
 * Resilience4j decorators and never leaves this module. The message names the operation, the HTTP
 * status and Google's reason, nothing from the request.
 */
final class GoogleFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What the failure means for the caller; the retry and the breaker decide on it. */
  enum Kind {
    /** 403 {@code rateLimitExceeded} / {@code userRateLimitExceeded}, 429: back off and repeat. */
    RATE_LIMITED,
    /** 403 {@code quotaExceeded}: Google's general usage limits, a long backoff. */
    USAGE_LIMIT,
    /** 5xx, 408: Google is unwell. */
    SERVER,
    /** Timeouts, resets, refused connections: no answer at all. */
    NETWORK,
    /** 401: the token was refused. */
    UNAUTHORIZED,
    /** 404. */
    NOT_FOUND,
    /** 409: an event with this id exists. */
    DUPLICATE,
    /** 410: deleted, or a sync token Google no longer accepts. */
    GONE,
    /** Any other 4xx, and 2xx answers we cannot read. */
    REJECTED
  }

  private final Kind kind;
  private final @Nullable Duration retryAfter;

  GoogleFailure(
      Kind kind, String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  Kind kind() {
    return kind;
  }

  /** Google's {@code Retry-After}, if it sent one. */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** An outage that the circuit breaker counts. */
  boolean isOutage() {
    return kind == Kind.SERVER || kind == Kind.NETWORK;
  }
}
