package org.sessionbridge.connector.zoom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ZoomResilienceTest {

  @Test
  void defaultsStayBelowZoomsProLimitsAndSleepAtMostTwoSeconds() {
    ZoomResilience defaults = ZoomResilience.defaults();

    assertThat(defaults.mediumPerPeriod()).isEqualTo(8).isLessThan(20);
    assertThat(defaults.lightPerPeriod()).isEqualTo(16).isLessThan(30);
    assertThat(defaults.limitRefreshPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.permitWait()).isEqualTo(Duration.ofSeconds(1));
    assertThat(defaults.retryAttempts()).isEqualTo(3);
    assertThat(defaults.retryBackoff()).isEqualTo(Duration.ofMillis(200));
    assertThat(defaults.maxInlineWait()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aMinimumAboveTheWindowFailsNamingBothProperties() {
    assertThatThrownBy(() -> with(10, 11, 50, Duration.ofSeconds(30), 8, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sessionbridge.zoom.resilience.breaker-minimum-calls must not exceed breaker-window"
                + " (10): 11");
  }

  @Test
  void aFailureRateOutsideOneToHundredFails() {
    assertThatThrownBy(() -> with(10, 5, 0, Duration.ofSeconds(30), 8, Duration.ZERO))
        .hasMessage(
            "sessionbridge.zoom.resilience.breaker-failure-rate-percent must be 1 to 100: 0");
    assertThatThrownBy(() -> with(10, 5, 101, Duration.ofSeconds(30), 8, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aZeroOpenWaitFailsNamingTheProperty() {
    assertThatThrownBy(() -> with(10, 5, 50, Duration.ZERO, 8, Duration.ZERO))
        .hasMessage(
            "sessionbridge.zoom.resilience.breaker-open-wait must be a positive duration: PT0S");
  }

  @Test
  void aLimitBelowOneFailsNamingTheProperty() {
    assertThatThrownBy(() -> with(10, 5, 50, Duration.ofSeconds(30), 0, Duration.ZERO))
        .hasMessage("sessionbridge.zoom.resilience.medium-per-period must be at least 1: 0");
  }

  @Test
  void aNegativeInlineWaitFailsButZeroMeansNeverSleepForZoom() {
    assertThat(with(10, 5, 50, Duration.ofSeconds(30), 8, Duration.ZERO).maxInlineWait()).isZero();
    assertThatThrownBy(() -> with(10, 5, 50, Duration.ofSeconds(30), 8, Duration.ofSeconds(-1)))
        .hasMessage(
            "sessionbridge.zoom.resilience.max-inline-wait must be zero or a positive duration:"
                + " PT-1S");
  }

  private static ZoomResilience with(
      int window,
      int minimumCalls,
      int failureRate,
      Duration openWait,
      int mediumPerPeriod,
      Duration maxInlineWait) {
    return new ZoomResilience(
        window,
        minimumCalls,
        failureRate,
        openWait,
        2,
        mediumPerPeriod,
        16,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        3,
        Duration.ofMillis(200),
        maxInlineWait);
  }
}
