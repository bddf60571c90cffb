package org.sessionbridge.connector.google;

import java.time.Duration;

/**
 * How {@link GoogleCalendarProvider} guards its calls ({@code sessionbridge.google.resilience.*}).
 * Validated on construction so that a bad value fails at startup with the property named.
 *
 * <p>Google allows 600 requests per minute per user and project and 10 000 per minute per project
 * (API-NOTES §3.5); the per-account default of 8 per second (480 a minute) stays below the first.
 *
 * @param breakerWindow how many recent calls the circuit breaker looks at (count-based window)
 * @param breakerMinimumCalls how many calls the window needs before the breaker may open
 * @param breakerFailureRatePercent the share of failed calls (5xx, timeouts, resets) in the window
 *     that opens the breaker, 1 to 100
 * @param breakerOpenWait how long an open breaker refuses calls before letting a few through
 * @param breakerHalfOpenCalls how many trial calls decide whether the breaker closes again
 * @param requestsPerPeriod requests allowed per account and {@code limitRefreshPeriod}
 * @param limitRefreshPeriod the rate limiter's period
 * @param permitWait how long a call may wait for a rate-limit permit before failing as retryable
 * @param retryAttempts attempts per call, the first included (1 = no retry)
 * @param retryBackoff the wait before the second attempt; doubled before each later one
 * @param maxInlineWait the longest {@code Retry-After} honoured by waiting inside the call; a
 *     longer one is handed back to the caller instead of sleeping
 * @param usageLimitWait what to ask the caller to wait after Google's general usage limits ({@code
 *     quotaExceeded}), which Google says need a long backoff; never waited inline
 */
public record GoogleResilience(
    int breakerWindow,
    int breakerMinimumCalls,
    int breakerFailureRatePercent,
    Duration breakerOpenWait,
    int breakerHalfOpenCalls,
    int requestsPerPeriod,
    Duration limitRefreshPeriod,
    Duration permitWait,
    int retryAttempts,
    Duration retryBackoff,
    Duration maxInlineWait,
    Duration usageLimitWait) {

  private static final String PREFIX = "sessionbridge.google.resilience.";

  public GoogleResilience {
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
    atLeastOne("requests-per-period", requestsPerPeriod);
    positive("limit-refresh-period", limitRefreshPeriod);
    notNegative("permit-wait", permitWait);
    atLeastOne("retry-attempts", retryAttempts);
    positive("retry-backoff", retryBackoff);
    notNegative("max-inline-wait", maxInlineWait);
    positive("usage-limit-wait", usageLimitWait);
  }

  /**
   * Opens after half of the last 10 calls (at least 5) failed and stays open 30 s; 8 requests per
   * second per account, waiting at most 2 s for a permit; 3 attempts from 500 ms; waits of up to 5
   * s that Google asks for are spent inline; usage limits ask for 5 minutes.
   */
  public static GoogleResilience defaults() {
    return new GoogleResilience(
        10,
        5,
        50,
        Duration.ofSeconds(30),
        2,
        8,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        3,
        Duration.ofMillis(500),
        Duration.ofSeconds(5),
        Duration.ofMinutes(5));
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
