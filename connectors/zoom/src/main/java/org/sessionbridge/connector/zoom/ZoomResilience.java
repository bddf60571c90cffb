package org.sessionbridge.connector.zoom;

import java.time.Duration;

/**
 * How {@link ZoomMeetingPlatform} guards each practice's Zoom account ({@code
 * sessionbridge.zoom.resilience.*}). Validated on construction so that a bad value fails at startup
 * with the property named.
 *
 * <p>Zoom's limits are per account and plan (API-NOTES §1.5: Free 4/s LIGHT and 2/s MEDIUM, Pro 30
 * and 20, Business+ 80 and 60); the defaults sit below Pro, the usual plan of a practice with a
 * BAA. A Free account needs lower values.
 *
 * @param breakerWindow how many recent calls the circuit breaker looks at (count-based window)
 * @param breakerMinimumCalls how many calls the window needs before the breaker may open
 * @param breakerFailureRatePercent the share of failed calls (5xx, timeouts, resets, unreadable
 *     answers) in the window that opens the breaker, 1 to 100
 * @param breakerOpenWait how long an open breaker refuses calls before letting a few through
 * @param breakerHalfOpenCalls how many trial calls decide whether the breaker closes again
 * @param mediumPerPeriod MEDIUM-label calls (create) allowed per {@code limitRefreshPeriod}
 * @param lightPerPeriod LIGHT-label calls (get, update, delete, list) per {@code
 *     limitRefreshPeriod}
 * @param limitRefreshPeriod the rate limiters' period
 * @param permitWait how long a call may wait for a rate-limit permit before failing as retryable
 * @param retryAttempts attempts per idempotent call, the first included (1 = no retry)
 * @param retryBackoff the wait before the second attempt; doubled before each later one
 * @param maxInlineWait the longest {@code Retry-After} honoured by waiting inside the call; a
 *     longer one is handed back to the caller instead of sleeping
 */
public record ZoomResilience(
    int breakerWindow,
    int breakerMinimumCalls,
    int breakerFailureRatePercent,
    Duration breakerOpenWait,
    int breakerHalfOpenCalls,
    int mediumPerPeriod,
    int lightPerPeriod,
    Duration limitRefreshPeriod,
    Duration permitWait,
    int retryAttempts,
    Duration retryBackoff,
    Duration maxInlineWait) {

  private static final String PREFIX = "sessionbridge.zoom.resilience.";

  public ZoomResilience {
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
    atLeastOne("medium-per-period", mediumPerPeriod);
    atLeastOne("light-per-period", lightPerPeriod);
    positive("limit-refresh-period", limitRefreshPeriod);
    notNegative("permit-wait", permitWait);
    atLeastOne("retry-attempts", retryAttempts);
    positive("retry-backoff", retryBackoff);
    notNegative("max-inline-wait", maxInlineWait);
  }

  /**
   * Opens after half of the last 10 calls (at least 5) failed and stays open 30 s; MEDIUM 8/s and
   * LIGHT 16/s, waiting at most 1 s for a permit; 3 attempts from 200 ms; waits of up to 2 s that
   * Zoom asks for are spent inline.
   */
  public static ZoomResilience defaults() {
    return new ZoomResilience(
        10,
        5,
        50,
        Duration.ofSeconds(30),
        2,
        8,
        16,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        3,
        Duration.ofMillis(200),
        Duration.ofSeconds(2));
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
