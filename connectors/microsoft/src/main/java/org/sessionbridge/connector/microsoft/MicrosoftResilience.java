package org.sessionbridge.connector.microsoft;

import java.time.Duration;

/**
 * How the Graph calls are guarded ({@code sessionbridge.microsoft.resilience.*}). Validated on
 * construction so that a bad value fails at startup with the property named.
 *
 * <p>Outlook allows an app <b>4 concurrent requests per mailbox</b> and 10 000 per 10 minutes
 * (API-NOTES §2.7); the bulkhead keeps each mailbox (a Teams organizer, a linked calendar) at or
 * below {@link #concurrentPerMailbox()}.
 *
 * @param breakerWindow how many recent calls the circuit breaker looks at (count-based window)
 * @param breakerMinimumCalls how many calls the window needs before the breaker may open
 * @param breakerFailureRatePercent the share of failed calls (5xx, timeouts, resets) in the window
 *     that opens the breaker, 1 to 100
 * @param breakerOpenWait how long an open breaker refuses calls before letting a few through
 * @param breakerHalfOpenCalls how many trial calls decide whether the breaker closes again
 * @param concurrentPerMailbox requests in flight per mailbox, 1 to 4
 * @param permitWait how long a request may wait for a mailbox slot before failing as retryable
 * @param retryAttempts attempts per idempotent call, the first included (1 = no retry)
 * @param retryBackoff the wait before the second attempt; doubled before each later one
 * @param maxInlineWait the longest {@code Retry-After} honoured by waiting inside the call; a
 *     longer one is handed back to the caller instead of sleeping
 */
public record MicrosoftResilience(
    int breakerWindow,
    int breakerMinimumCalls,
    int breakerFailureRatePercent,
    Duration breakerOpenWait,
    int breakerHalfOpenCalls,
    int concurrentPerMailbox,
    Duration permitWait,
    int retryAttempts,
    Duration retryBackoff,
    Duration maxInlineWait) {

  private static final String PREFIX = "sessionbridge.microsoft.resilience.";

  /** Outlook's limit of concurrent requests per app and mailbox. */
  public static final int OUTLOOK_CONCURRENCY_LIMIT = 4;

  public MicrosoftResilience {
    atLeastOne("breaker-window", breakerWindow);
    atLeastOne("breaker-minimum-calls", breakerMinimumCalls);
    if (breakerMinimumCalls > breakerWindow) {
      throw new IllegalArgumentException(
          PREFIX
              + "breaker-minimum-calls must not exceed breaker-window ("
              + breakerWindow
              + "): "
              + breakerMinimumCalls);
    }
    if (breakerFailureRatePercent < 1 || breakerFailureRatePercent > 100) {
      throw new IllegalArgumentException(
          PREFIX + "breaker-failure-rate-percent must be 1 to 100: " + breakerFailureRatePercent);
    }
    positive("breaker-open-wait", breakerOpenWait);
    atLeastOne("breaker-half-open-calls", breakerHalfOpenCalls);
    if (concurrentPerMailbox < 1 || concurrentPerMailbox > OUTLOOK_CONCURRENCY_LIMIT) {
      throw new IllegalArgumentException(
          PREFIX
              + "concurrent-per-mailbox must be 1 to "
              + OUTLOOK_CONCURRENCY_LIMIT
              + " (Outlook's limit per app and mailbox): "
              + concurrentPerMailbox);
    }
    notNegative("permit-wait", permitWait);
    atLeastOne("retry-attempts", retryAttempts);
    positive("retry-backoff", retryBackoff);
    notNegative("max-inline-wait", maxInlineWait);
  }

  /**
   * Opens after half of the last 10 calls (at least 5) failed and stays open 30 s; 4 requests in
   * flight per mailbox, waiting at most 2 s for a slot; 3 attempts from 500 ms; waits of up to 5 s
   * that Graph asks for are spent inline.
   */
  public static MicrosoftResilience defaults() {
    return new MicrosoftResilience(
        10,
        5,
        50,
        Duration.ofSeconds(30),
        2,
        OUTLOOK_CONCURRENCY_LIMIT,
        Duration.ofSeconds(2),
        3,
        Duration.ofMillis(500),
        Duration.ofSeconds(5));
  }

  private static void atLeastOne(String property, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(PREFIX + property + " must be at least 1: " + value);
    }
  }

  private static void positive(String property, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be a positive duration: " + value);
    }
  }

  private static void notNegative(String property, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be zero or a positive duration: " + value);
    }
  }
}
