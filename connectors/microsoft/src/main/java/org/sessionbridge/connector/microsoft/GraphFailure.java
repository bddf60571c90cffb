package org.sessionbridge.connector.microsoft;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A failed Graph request (or token request), classified by {@link GraphErrors}; travels through the
 * Resilience4j decorators and never leaves this module. The message names the operation, the HTTP
 * status and Graph's error code, nothing from the request.
 */
final class GraphFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What the failure means for the caller; the retry and the breaker decide on it. */
  enum Kind {
    /** 429, or 503 with {@code Retry-After}: Graph throttles; wait and repeat. */
    THROTTLED,
    /** Other 5xx, 408: Graph is unwell. */
    SERVER,
    /** Timeouts, resets, refused connections: no answer at all. */
    NETWORK,
    /** 401: the token was refused. */
    UNAUTHORIZED,
    /** 403: the app or user may not do this (permissions, application access policy). */
    FORBIDDEN,
    /** 404. */
    NOT_FOUND,
    /** 410 (a delta link Graph no longer serves, {@code Location} to restart). */
    GONE,
    /** A delta token Graph no longer accepts: {@code syncStateNotFound} and friends. */
    SYNC_RESET,
    /** Any other 4xx. */
    REJECTED,
    /** A 2xx answer we cannot use. */
    UNREADABLE,
    /** The token endpoint refused the app's credentials. */
    TOKEN_REFUSED,
    /** The token endpoint could not be asked. */
    TOKEN_UNAVAILABLE
  }

  private final Kind kind;
  private final int status;
  private final String code;
  private final @Nullable Duration retryAfter;

  GraphFailure(
      Kind kind,
      int status,
      String code,
      String message,
      @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  Kind kind() {
    return kind;
  }

  /** The HTTP status, 0 when there was no answer. */
  int status() {
    return status;
  }

  /** Graph's {@code error.code}, empty when none. */
  String code() {
    return code;
  }

  /** Graph's {@code Retry-After}, if it sent one. */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** An outage that the circuit breaker counts. */
  boolean isOutage() {
    return kind == Kind.SERVER || kind == Kind.NETWORK;
  }
}
