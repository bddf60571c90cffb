package org.sessionbridge.routes.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final DoubleSupplier LOWEST = () -> 0.0;
  private static final DoubleSupplier HIGHEST = () -> Math.nextDown(1.0);

  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1_000));

  @Test
  void waitsBetweenHalfAndAllOfTheDoublingBackoff() {
    assertRange(1, 50, 100);
    assertRange(2, 100, 200);
    assertRange(3, 200, 400);
    assertRange(4, 400, 800);
  }

  @Test
  void neverWaitsLongerThanTheCap() {
    assertRange(5, 500, 1_000);
    assertRange(6, 500, 1_000);
    assertRange(31, 500, 1_000);
    assertRange(Integer.MAX_VALUE, 500, 1_000);
  }

  @Test
  void treatsAnAttemptBelowOneAsTheFirst() {
    assertRange(0, 50, 100);
    assertRange(-3, 50, 100);
  }

  @Test
  void capsLongBackoffsWithoutOverflowing() {
    RetryPolicy days = new RetryPolicy(100, Duration.ofDays(1), Duration.ofDays(7));

    assertThat(days.backoffAfter(3, HIGHEST)).isLessThan(Duration.ofDays(4));
    assertThat(days.backoffAfter(40, LOWEST)).isEqualTo(Duration.ofHours(84));
    assertThat(days.backoffAfter(40, HIGHEST))
        .isLessThan(Duration.ofDays(7))
        .isGreaterThan(Duration.ofDays(6));
  }

  @Test
  void equalInitialAndMaximumBackoffGiveAFixedRange() {
    RetryPolicy flat = new RetryPolicy(3, Duration.ofMillis(200), Duration.ofMillis(200));

    for (int attempt = 1; attempt <= 4; attempt++) {
      assertThat(flat.backoffAfter(attempt, LOWEST)).isEqualTo(Duration.ofMillis(100));
      assertThat(flat.backoffAfter(attempt, HIGHEST)).isEqualTo(Duration.ofMillis(199));
    }
  }

  @Test
  void spreadsRandomDrawsAcrossTheWholeRange() {
    Random random = new Random(42);
    long shortest = Long.MAX_VALUE;
    long longest = 0;
    for (int i = 0; i < 10_000; i++) {
      long millis = policy.backoffAfter(2, random::nextDouble).toMillis();
      shortest = Math.min(shortest, millis);
      longest = Math.max(longest, millis);
    }

    assertThat(shortest).isBetween(100L, 105L);
    assertThat(longest).isBetween(195L, 199L);
  }

  @Test
  void refusesFewerThanOneAttempt() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofMillis(50), Duration.ofMillis(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionbridge.outbox.max-attempts must be at least 1: 0");
  }

  @Test
  void acceptsASingleAttempt() {
    assertThat(new RetryPolicy(1, Duration.ofMillis(50), Duration.ofMillis(50)).maxAttempts())
        .isEqualTo(1);
  }

  @Test
  void refusesAZeroInitialBackoff() {
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ofMillis(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionbridge.outbox.initial-backoff must be positive: PT0S");
  }

  @Test
  void refusesANegativeInitialBackoff() {
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(-1), Duration.ofMillis(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionbridge.outbox.initial-backoff must be positive: PT-0.001S");
  }

  @Test
  void refusesAMaximumBackoffShorterThanTheInitialOne() {
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sessionbridge.outbox.max-backoff must not be shorter than the initial backoff: PT1S");
  }

  private void assertRange(int attempt, long fromMillis, long toMillis) {
    assertThat(policy.backoffAfter(attempt, LOWEST))
        .as("shortest wait after attempt %d", attempt)
        .isEqualTo(Duration.ofMillis(fromMillis));
    assertThat(policy.backoffAfter(attempt, HIGHEST))
        .as("longest wait after attempt %d", attempt)
        .isEqualTo(Duration.ofMillis(toMillis - 1));
  }
}
