package org.sessionbridge.routes.outbox;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter" for failed outbox deliveries: attempt {@code n} waits
 * between half and all of {@code min(max, initial * 2^(n-1))}, so retries of many events that
 * failed together (a vendor outage) spread out instead of arriving in waves.
 *
 * @param maxAttempts attempts before the event is dead-lettered (at least 1)
 * @param initialBackoff wait after the first failure
 * @param maxBackoff cap on any single wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "sessionbridge.outbox.max-attempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(
          "sessionbridge.outbox.initial-backoff must be positive: " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "sessionbridge.outbox.max-backoff must not be shorter than the initial backoff: "
              + maxBackoff);
    }
  }

  /**
   * The wait after failed attempt number {@code attempt} (1-based); {@code random} yields [0, 1).
   */
  public Duration backoffAfter(int attempt, DoubleSupplier random) {
    long initial = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long ceiling = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
  }
}
