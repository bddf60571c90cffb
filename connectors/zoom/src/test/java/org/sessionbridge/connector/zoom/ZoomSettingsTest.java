package org.sessionbridge.connector.zoom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ZoomSettingsTest {

  @Test
  void defaultsPointAtZoomsTwoHosts() {
    ZoomSettings settings = ZoomSettings.defaults();

    assertThat(settings.apiBaseUrl()).isEqualTo("https://api.zoom.us/v2");
    assertThat(settings.oauthBaseUrl()).isEqualTo("https://zoom.us");
    assertThat(settings.connectTimeout()).isPositive();
    assertThat(settings.readTimeout()).isPositive();
  }

  @Test
  void aTrailingSlashIsDropped() {
    ZoomSettings settings =
        new ZoomSettings(
            "http://localhost:8089/v2/",
            "http://localhost:8089/",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1));

    assertThat(settings.apiBaseUrl()).isEqualTo("http://localhost:8089/v2");
    assertThat(settings.oauthBaseUrl()).isEqualTo("http://localhost:8089");
  }

  @Test
  void aRelativeApiBaseUrlFailsNamingTheProperty() {
    assertThatThrownBy(
            () ->
                new ZoomSettings(
                    "api.zoom.us/v2",
                    "https://zoom.us",
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sessionbridge.zoom.api-base-url must be an absolute http(s) URL: api.zoom.us/v2");
  }

  @Test
  void aNonHttpOauthBaseUrlFailsNamingTheProperty() {
    assertThatThrownBy(
            () ->
                new ZoomSettings(
                    "https://api.zoom.us/v2",
                    "ftp://zoom.us",
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)))
        .hasMessage(
            "sessionbridge.zoom.oauth-base-url must be an absolute http(s) URL: ftp://zoom.us");
  }

  @Test
  void aZeroReadTimeoutFailsNamingTheProperty() {
    assertThatThrownBy(
            () ->
                new ZoomSettings(
                    "https://api.zoom.us/v2",
                    "https://zoom.us",
                    Duration.ofSeconds(1),
                    Duration.ZERO))
        .hasMessageStartingWith("sessionbridge.zoom.read-timeout must be a positive duration");
  }

  @Test
  void credentialsHideTheSecret() {
    ZoomCredentials credentials = new ZoomCredentials("acc", "client", "TopS3cret");

    assertThat(credentials.toString()).doesNotContain("TopS3cret").contains("<redacted>");
  }

  @Test
  void aBlankClientSecretFailsNamingTheProperty() {
    assertThatThrownBy(() -> new ZoomCredentials("acc", "client", " "))
        .hasMessage("sessionbridge.zoom.client-secret must not be blank");
  }

  @Test
  void aMeetingRequestRejectsAnOverlongTopicAndDuration() {
    LocalDateTime start = LocalDateTime.of(2026, 3, 2, 15, 0);
    ZoneId paris = ZoneId.of("Europe/Paris");

    assertThatThrownBy(() -> new ZoomMeetingRequest("x".repeat(201), start, paris, 30))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZoomMeetingRequest("A-1", start, paris, 1441))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNewStartTimeNeedsItsZone() {
    assertThatThrownBy(
            () -> new ZoomMeetingUpdate(null, LocalDateTime.of(2026, 3, 2, 15, 0), null, null))
        .hasMessageContaining("timezone");
  }

  @Test
  void aMeetingNeverPrintsItsJoinUrlOrTopic() {
    ZoomMeeting meeting =
        new ZoomMeeting(
            1L,
            "u",
            URI.create("https://zoom.us/j/1?pwd=Secret"),
            "Client Name",
            Optional.of(Instant.EPOCH),
            30,
            "UTC",
            "waiting",
            true,
            false);

    assertThat(meeting.toString()).doesNotContain("pwd=Secret").doesNotContain("Client Name");
  }
}
