package org.sessionbridge.connector.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoogleSettingsTest {

  @Test
  void defaultsToGoogleItself() {
    GoogleSettings settings = GoogleSettings.defaults();
    assertThat(settings.calendarRootUrl()).isEqualTo("https://www.googleapis.com/");
    assertThat(settings.pageSize()).isEqualTo(250);
  }

  @Test
  void aRootUrlWithoutTrailingSlashGetsOne() {
    assertThat(GoogleSettings.at("http://127.0.0.1:9090").calendarRootUrl())
        .isEqualTo("http://127.0.0.1:9090/");
  }

  @Test
  void badValuesNameTheirProperty() {
    assertThatThrownBy(() -> GoogleSettings.at("ftp://example.com/"))
        .hasMessageContaining("sessionbridge.google.calendar-root-url");
    assertThatThrownBy(() -> GoogleSettings.at("/calendar"))
        .hasMessageContaining("sessionbridge.google.calendar-root-url");
    assertThatThrownBy(
            () ->
                new GoogleSettings(
                    "https://www.googleapis.com/",
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    250,
                    Duration.ofDays(1)))
        .hasMessageContaining("sessionbridge.google.connect-timeout");
    assertThatThrownBy(
            () ->
                new GoogleSettings(
                    "https://www.googleapis.com/",
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    2501,
                    Duration.ofDays(1)))
        .hasMessageContaining("sessionbridge.google.page-size");
  }

  @Test
  void resilienceDefaultsStayBelowGooglesPerUserQuota() {
    GoogleResilience resilience = GoogleResilience.defaults();
    double perMinute =
        resilience.requestsPerPeriod() * (60_000.0 / resilience.limitRefreshPeriod().toMillis());
    assertThat(perMinute).isLessThan(600);
    assertThatThrownBy(
            () ->
                new GoogleResilience(
                    4,
                    5,
                    50,
                    Duration.ofSeconds(1),
                    1,
                    1,
                    Duration.ofSeconds(1),
                    Duration.ZERO,
                    1,
                    Duration.ofMillis(1),
                    Duration.ZERO,
                    Duration.ofMinutes(1)))
        .hasMessageContaining("sessionbridge.google.resilience.breaker-minimum-calls");
  }
}
