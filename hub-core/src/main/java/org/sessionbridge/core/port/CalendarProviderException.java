package org.sessionbridge.core.port;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why a {@link CalendarProvider} call failed, in the terms the calendar routes act on. Messages
 * name the operation and the vendor's status and reason, never tokens, titles, descriptions or join
 * links.
 */
public abstract sealed class CalendarProviderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CalendarProviderException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Try again later: rate limits and usage limits, 5xx, timeouts, lost connections, an open circuit
   * breaker. Repeating an upsert or remove is safe.
   */
  public static final class Retryable extends CalendarProviderException {
    private static final long serialVersionUID = 1L;
    private final @Nullable Duration retryAfter;

    public Retryable(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
      super(message, cause);
      this.retryAfter = retryAfter;
    }

    /** How long the vendor asked us to wait; empty means back off on our own. */
    public Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }
  }

  /**
   * The account's authorisation is gone: the refresh token was refused ({@code invalid_grant}:
   * consent revoked or expired), or a freshly refreshed token was refused too. The link needs
   * re-authorisation by its owner; work is parked, not dropped.
   */
  public static final class NotAuthorized extends CalendarProviderException {
    private static final long serialVersionUID = 1L;

    public NotAuthorized(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The calendar does not exist or the account no longer has access to it (deleted, unshared): the
   * owner must link another calendar.
   */
  public static final class Gone extends CalendarProviderException {
    private static final long serialVersionUID = 1L;

    public Gone(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /** The vendor refused the request for a reason retrying will not fix: a person must act. */
  public static final class Rejected extends CalendarProviderException {
    private static final long serialVersionUID = 1L;

    public Rejected(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The change cursor expired or was invalidated (Google: 410 {@code fullSyncRequired}). Not a
   * failure of the calendar: read once without a cursor and replace what is held.
   */
  public static final class CursorExpired extends CalendarProviderException {
    private static final long serialVersionUID = 1L;

    public CursorExpired(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
