package org.sessionbridge.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why a {@link MeetingPlatform} call failed, in the terms the meeting route acts on. Messages name
 * the operation and the platform's status and error code, never tokens, secrets, join links or
 * names.
 */
public abstract sealed class MeetingPlatformException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MeetingPlatformException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Try again later: rate limits, 5xx, timeouts, lost connections, an open circuit breaker. After a
   * create, the meeting may exist.
   */
  public static final class Retryable extends MeetingPlatformException {
    private static final long serialVersionUID = 1L;
    private final @Nullable Duration retryAfter;

    public Retryable(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
      super(message, cause);
      this.retryAfter = retryAfter;
    }

    /** How long the platform asked us to wait; empty means back off on our own. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }
  }

  /** The host's daily create/update budget is spent: nothing more until {@code resumeAt}. */
  public static final class BudgetExhausted extends MeetingPlatformException {
    private static final long serialVersionUID = 1L;
    private final Instant resumeAt;

    public BudgetExhausted(String message, Instant resumeAt, @Nullable Throwable cause) {
      super(message, cause);
      this.resumeAt = resumeAt;
    }

    public Instant resumeAt() {
      return resumeAt;
    }
  }

  /**
   * The practice's connection is missing, revoked or refused: nothing will work until the practice
   * connects the account again. Work is parked, not dropped.
   */
  public static final class NotAuthorized extends MeetingPlatformException {
    private static final long serialVersionUID = 1L;
    private final @Nullable String host;

    /** The practice's connection itself was refused: every host of the practice is affected. */
    public NotAuthorized(String message, @Nullable Throwable cause) {
      this(message, null, cause);
    }

    /**
     * Only {@code host}'s own authorisation was refused (a provider's personal account): the
     * practice's other hosts go on.
     */
    public NotAuthorized(String message, @Nullable String host, @Nullable Throwable cause) {
      super(message, cause);
      this.host = host;
    }

    /** The one host whose authorisation was refused; empty when it is the whole connection. */
    public java.util.Optional<String> host() {
      return java.util.Optional.ofNullable(host);
    }
  }

  /** The meeting does not exist (deleted by the host, or expired). */
  public static final class MeetingGone extends MeetingPlatformException {
    private static final long serialVersionUID = 1L;

    public MeetingGone(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The platform refused the request for a reason retrying will not fix (unknown host user, host
   * not allowed to schedule, validation): a person must act.
   */
  public static final class Rejected extends MeetingPlatformException {
    private static final long serialVersionUID = 1L;

    public Rejected(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
