package org.sessionbridge.connector.zoom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.ZoomStubs.CREDENTIALS;
import static org.sessionbridge.connector.zoom.ZoomStubs.HOST_ID;
import static org.sessionbridge.connector.zoom.ZoomStubs.MEETING_ID;
import static org.sessionbridge.connector.zoom.ZoomStubs.assertNoSecrets;
import static org.sessionbridge.connector.zoom.ZoomStubs.bearer;
import static org.sessionbridge.connector.zoom.ZoomStubs.okJsonWithTracking;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZoomApiFaultsTest {

  private static final String MEETING_PATH = "/v2/meetings/" + MEETING_ID;
  private static final String CREATE_PATH = "/v2/users/" + HOST_ID + "/meetings";

  /**
   * Short for the timeout test only: every other test gets a patient client, as a cold first
   * request on a busy machine can take longer than this.
   */
  private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

  private final WireMockServer zoom = new WireMockServer(options().dynamicPort());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T22:00:00Z"));
  private ZoomApi api;

  @BeforeEach
  void start() {
    zoom.start();
    ZoomStubs.stubToken(zoom);
    api = new ZoomApi(ZoomStubs.settings(zoom, Duration.ofSeconds(10)), CREDENTIALS, clock);
  }

  @AfterEach
  void stop() {
    zoom.stop();
  }

  @Test
  void aPerSecondRateLimitIsTransientAndLeavesTheBackoffToTheCaller() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(
                ZoomStubs.zoomError(
                        429,
                        429,
                        "You have reached the maximum per-second rate limit for this API. Try again later.")
                    .withHeader("X-RateLimit-Category", "Light")
                    .withHeader("X-RateLimit-Type", "QPS")
                    .withHeader("X-RateLimit-Limit", "30")
                    .withHeader("X-RateLimit-Remaining", "0")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(429);
              assertThat(e.zoomCode()).hasValue(429);
              assertThat(e.retryAfter()).isEmpty();
              assertThat(e.isRetriable()).isTrue();
              assertThat(e.isDailyLimit()).isFalse();
              assertThat(e.dailyLimitResumesAt()).isEmpty();
              assertNoSecrets(e);
            });
  }

  @Test
  void theDailyRateLimitCarriesTheTimeUntilRetryAfter() {
    zoom.stubFor(
        bearer(post(CREATE_PATH))
            .willReturn(
                ZoomStubs.zoomError(
                        429,
                        429,
                        "You have exceeded the daily rate limit (100) of Meeting Create/Update API"
                            + " requests permitted for this particular user.")
                    .withHeader("X-RateLimit-Type", "Daily-limit")
                    .withHeader("Retry-After", "2026-03-03T00:00:00Z")));

    assertThatThrownBy(this::createConsultation)
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.retryAfter()).hasValue(Duration.ofHours(2));
              assertThat(e.isDailyLimit()).isTrue();
              assertThat(e.dailyLimitResumesAt()).hasValue(Instant.parse("2026-03-03T00:00:00Z"));
              assertThat(e.getMessage()).contains("HTTP 429").contains("daily rate limit (100)");
              assertNoSecrets(e);
            });
  }

  @Test
  void aDailyLimitKnownOnlyByItsMessageResumesAtTheNextUtcMidnight() {
    clock.advance(Duration.ofMinutes(30)); // 22:30 UTC
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(
                ZoomStubs.zoomError(
                    429,
                    429,
                    "You have reached the maximum daily rate limit for this API. Refer to the"
                        + " response header for details on when you can make another request.")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.isDailyLimit()).isTrue();
              assertThat(e.dailyLimitResumesAt()).hasValue(Instant.parse("2026-03-03T00:00:00Z"));
              assertThat(e.retryAfter()).hasValue(Duration.ofMinutes(90));
            });
  }

  @Test
  void retryAfterInSecondsIsReadToo() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7)));
  }

  @Test
  void rateLimitResetIsUsedWhenRetryAfterIsMissing() {
    long reset = clock.instant().plusSeconds(3).getEpochSecond();
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(
                aResponse().withStatus(429).withHeader("X-RateLimit-Reset", Long.toString(reset))));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3)));
  }

  @Test
  void aServerErrorIsTransient() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(
                aResponse().withStatus(500).withBody("<html>Internal Server Error</html>")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(500);
              assertThat(e.zoomCode()).isEmpty();
              assertThat(e.getMessage()).contains("get meeting " + MEETING_ID).contains("HTTP 500");
            });
  }

  @Test
  void aConnectionResetIsTransientAndTheCreateIsSentOnlyOnce() {
    zoom.stubFor(
        bearer(post(CREATE_PATH))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    assertThatThrownBy(this::createConsultation)
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.httpStatus()).isEmpty();
              assertThat(e.getMessage()).contains("create meeting").contains("lost the connection");
              assertNoSecrets(e);
            });
    zoom.verify(1, postRequestedFor(urlPathEqualTo(CREATE_PATH)));
  }

  @Test
  void anAnswerSlowerThanTheReadTimeoutIsTransient() {
    ZoomApi impatient = new ZoomApi(ZoomStubs.settings(zoom, READ_TIMEOUT), CREDENTIALS, clock);
    api.verifyCredentials(); // warms WireMock up, so that only the slow answer meets the timeout
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(
                okJsonWithTracking(ZoomStubs.meetingJson(true, false)).withFixedDelay(3_000)));

    assertThatThrownBy(() -> impatient.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.httpStatus()).isEmpty();
              assertThat(e.getMessage())
                  .contains("get meeting " + MEETING_ID)
                  .contains("timed out");
              assertNoSecrets(e);
            });
    zoom.verify(1, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aMalformedJsonBodyIsAProtocolErrorThatDoesNotRepeatIt() {
    String truncated = ZoomStubs.meetingJson(true, false);
    truncated = truncated.substring(0, truncated.indexOf("\"password\""));
    zoom.stubFor(bearer(get(MEETING_PATH)).willReturn(okJsonWithTracking(truncated)));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomProtocolException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(200);
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.getMessage())
                  .contains("get meeting " + MEETING_ID)
                  .contains("unreadable body")
                  .contains("not JSON");
              assertNoSecrets(e);
            });
  }

  @Test
  void aMeetingWithoutJoinUrlIsAProtocolErrorNamingTheField() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(
                okJsonWithTracking(
                    ZoomStubs.meetingJson(true, false).replace("\"join_url\"", "\"join_link\""))));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOf(ZoomProtocolException.class)
        .hasMessageContaining("no join_url");
  }

  private ZoomMeeting createConsultation() {
    return api.createMeeting(
        HOST_ID,
        new ZoomMeetingRequest(
            "Consultation #A-123",
            LocalDateTime.of(2026, 3, 2, 15, 0),
            ZoneId.of("Europe/Paris"),
            30));
  }
}
