package org.sessionbridge.connector.zoom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.ZoomStubs.BASIC;
import static org.sessionbridge.connector.zoom.ZoomStubs.CREDENTIALS;
import static org.sessionbridge.connector.zoom.ZoomStubs.HOST_ID;
import static org.sessionbridge.connector.zoom.ZoomStubs.JOIN_URL;
import static org.sessionbridge.connector.zoom.ZoomStubs.MEETING_ID;
import static org.sessionbridge.connector.zoom.ZoomStubs.TOKEN;
import static org.sessionbridge.connector.zoom.ZoomStubs.assertNoSecrets;
import static org.sessionbridge.connector.zoom.ZoomStubs.bearer;
import static org.sessionbridge.connector.zoom.ZoomStubs.meetingJson;
import static org.sessionbridge.connector.zoom.ZoomStubs.okJsonWithTracking;
import static org.sessionbridge.connector.zoom.ZoomStubs.zoomError;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatformException;
import org.sessionbridge.core.port.MeetingPlatformException.BudgetExhausted;
import org.sessionbridge.core.port.MeetingPlatformException.MeetingGone;
import org.sessionbridge.core.port.MeetingPlatformException.NotAuthorized;
import org.sessionbridge.core.port.MeetingPlatformException.Rejected;
import org.sessionbridge.core.port.MeetingPlatformException.Retryable;
import org.sessionbridge.core.practice.VideoPlatform;

class ZoomMeetingPlatformTest {

  private static final UUID PRACTICE = UUID.fromString("6f1c2b9e-0d3a-4e55-9a57-2f0d6c1e8b11");
  private static final String MEETING = Long.toString(MEETING_ID);
  private static final String MEETING_PATH = "/v2/meetings/" + MEETING_ID;
  private static final String USER_MEETINGS_PATH = "/v2/users/" + HOST_ID + "/meetings";
  private static final String REFERENCE = "sb-0a1b2c3d4e5f";
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  /** 14:00 UTC is 15:00 in Paris on 2 March (CET, before the switch to summer time). */
  private static final MeetingSpec SPEC =
      new MeetingSpec(
          REFERENCE,
          "Session " + REFERENCE,
          Instant.parse("2026-03-02T14:00:00Z"),
          Duration.ofMinutes(50),
          PARIS);

  private final WireMockServer zoom = new WireMockServer(options().dynamicPort());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T22:00:00Z"));
  private final AtomicReference<Optional<ZoomCredentials>> connection =
      new AtomicReference<>(Optional.of(CREDENTIALS));
  private ZoomMeetingPlatform platform;

  @BeforeEach
  void start() {
    zoom.start();
    ZoomStubs.stubToken(zoom);
    platform = platform(new Knobs(), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    zoom.stop();
  }

  @Test
  void isZoomWithItsDailyBudgetOfWritesPerHost() {
    assertThat(platform.platform()).isEqualTo(VideoPlatform.ZOOM);
    assertThat(platform.dailyWritesPerHost()).hasValue(100);
  }

  @Test
  void createsAGuardedMeetingThatCarriesTheReferenceInLocalTime() {
    zoom.stubFor(bearer(post(USER_MEETINGS_PATH)).willReturn(created(meetingJson(true, false))));

    PlatformMeeting meeting = platform.create(PRACTICE, HOST_ID, SPEC);

    zoom.verify(
        1,
        postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .withRequestBody(
                equalToJson(
                    """
                    { "topic": "Session sb-0a1b2c3d4e5f", "type": 2,
                      "start_time": "2026-03-02T15:00:00", "timezone": "Europe/Paris",
                      "duration": 50,
                      "settings": { "waiting_room": true, "join_before_host": false } }
                    """,
                    false,
                    true)));
    assertThat(meeting.meetingId()).isEqualTo(MEETING);
    assertThat(meeting.joinUrl()).isEqualTo(URI.create(JOIN_URL));
    assertThat(meeting.start()).contains(Instant.parse("2026-03-02T14:00:00Z"));
    assertThat(meeting.durationMinutes()).isEqualTo(30); // what Zoom stored, not what we sent
    assertThat(meeting.guarded()).isTrue();
    assertThat(meeting.toString()).doesNotContain("JoinPwdS3cret");
  }

  @Test
  void addsTheReferenceToATopicThatLacksIt() {
    zoom.stubFor(bearer(post(USER_MEETINGS_PATH)).willReturn(created(meetingJson(true, false))));

    platform.create(
        PRACTICE,
        HOST_ID,
        new MeetingSpec(REFERENCE, "Session", SPEC.start(), SPEC.duration(), PARIS));

    zoom.verify(
        postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH))
            .withRequestBody(
                equalToJson("{\"topic\":\"Session " + REFERENCE + "\"}", false, true)));
  }

  @Test
  void aCreateIsSentOnceWhenZoomAnswersWithAServerError() {
    zoom.stubFor(
        bearer(post(USER_MEETINGS_PATH)).willReturn(zoomError(500, 500, "Internal error.")));

    assertThatThrownBy(() -> platform.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("create meeting")
                  .contains("HTTP 500")
                  .contains("may have created the meeting");
              assertNoSecrets(e);
            });
    zoom.verify(1, postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));
  }

  @Test
  void aCreateIsSentOnceWhenTheConnectionIsReset() {
    zoom.stubFor(
        bearer(post(USER_MEETINGS_PATH))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    assertThatThrownBy(() -> platform.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("lost the connection")
                  .contains("may have created the meeting");
              assertThat(e.retryAfter()).isEmpty();
            });
    zoom.verify(1, postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));
  }

  @Test
  void aCreateIsSentOnceWhenTheAnswerComesTooLate() {
    ZoomMeetingPlatform impatient = platform(new Knobs(), Duration.ofSeconds(1));
    zoom.stubFor(
        bearer(post(USER_MEETINGS_PATH))
            .willReturn(created(meetingJson(true, false)).withFixedDelay(3_000)));

    assertThatThrownBy(() -> impatient.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOfSatisfying(
            Retryable.class,
            e ->
                assertThat(e.getMessage())
                    .contains("timed out")
                    .contains("may have created the meeting"));
    zoom.verify(1, postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));
  }

  @Test
  void aCreateForAHostZoomDoesNotKnowAsksToMapTheProvider() {
    zoom.stubFor(
        bearer(post(USER_MEETINGS_PATH))
            .willReturn(zoomError(404, 1001, "User does not exist: " + HOST_ID + ".")));

    assertThatThrownBy(() -> platform.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOfSatisfying(
            Rejected.class,
            e ->
                assertThat(e.getMessage())
                    .contains("Zoom code 1001")
                    .contains("map the provider to their Zoom user"));
    zoom.verify(1, postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));
  }

  @Test
  void aValidationFailureIsRejected() {
    zoom.stubFor(
        bearer(post(USER_MEETINGS_PATH))
            .willReturn(zoomError(400, 3161, "User is not allowed to host meetings.")));

    assertThatThrownBy(() -> platform.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOf(Rejected.class)
        .hasMessageContaining("HTTP 400")
        .hasMessageContaining("Zoom code 3161");
  }

  @Test
  void anExpiredTokenIsRefreshedOnceAndTheCallSucceeds() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .inScenario("token expired")
            .whenScenarioStateIs(STARTED)
            .willReturn(zoomError(401, 124, "Access token is expired."))
            .willSetStateTo("refreshed"));
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .inScenario("token expired")
            .whenScenarioStateIs("refreshed")
            .willReturn(okJsonWithTracking(meetingJson(true, false))));

    PlatformMeeting meeting = platform.get(PRACTICE, MEETING);

    assertThat(meeting.meetingId()).isEqualTo(MEETING);
    zoom.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
    zoom.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aTokenRefusedTwiceIsNotAuthorized() {
    zoom.stubFor(
        bearer(get(MEETING_PATH)).willReturn(zoomError(401, 124, "Invalid access token.")));

    assertThatThrownBy(() -> platform.get(PRACTICE, MEETING))
        .isInstanceOfSatisfying(
            NotAuthorized.class,
            e -> {
              assertThat(e.getMessage()).contains("HTTP 401").contains("Zoom code 124");
              assertNoSecrets(e);
            });
    zoom.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void refusedClientCredentialsAreNotAuthorized() {
    zoom.stubFor(
        ZoomStubs.tokenRequest()
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"reason\":\"Invalid client_id or client_secret\",\"error\":\"invalid_client\"}")));

    assertThatThrownBy(() -> platform.get(PRACTICE, MEETING))
        .isInstanceOfSatisfying(
            NotAuthorized.class,
            e -> {
              assertThat(e.getMessage()).contains("invalid_client");
              assertNoSecrets(e);
            });
    zoom.verify(0, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aPracticeWithoutZoomIsNotAuthorizedWithoutCallingZoom() {
    connection.set(Optional.empty());

    assertThatThrownBy(() -> platform.get(PRACTICE, MEETING))
        .isInstanceOf(NotAuthorized.class)
        .hasMessageContaining("Zoom is not connected for this practice")
        .hasMessageContaining(PRACTICE.toString());
    zoom.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void aMeetingZoomDoesNotKnowIsGoneForGetUpdateAndEnforce() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + MEETING_ID + ".")));
    zoom.stubFor(
        bearer(patch(urlPathEqualTo(MEETING_PATH)))
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + MEETING_ID + ".")));

    assertThatThrownBy(() -> platform.get(PRACTICE, MEETING))
        .isInstanceOf(MeetingGone.class)
        .hasMessageContaining("Zoom code 3001");
    assertThatThrownBy(() -> platform.update(PRACTICE, MEETING, SPEC))
        .isInstanceOf(MeetingGone.class)
        .hasMessageContaining("update meeting " + MEETING_ID);
    assertThatThrownBy(() -> platform.enforceWaitingRoom(PRACTICE, MEETING))
        .isInstanceOf(MeetingGone.class);
    zoom.verify(1, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
    zoom.verify(2, patchRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void anUpdateMovesTheMeetingAndReassertsTheWaitingRoom() {
    zoom.stubFor(
        bearer(patch(urlPathEqualTo(MEETING_PATH))).willReturn(aResponse().withStatus(204)));

    platform.update(PRACTICE, MEETING, SPEC);
    platform.enforceWaitingRoom(PRACTICE, MEETING);

    zoom.verify(
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withRequestBody(
                equalToJson(
                    """
                    { "start_time": "2026-03-02T15:00:00", "timezone": "Europe/Paris",
                      "duration": 50,
                      "settings": { "waiting_room": true, "join_before_host": false } }
                    """)));
    zoom.verify(
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withRequestBody(
                equalToJson(
                    "{\"settings\": {\"waiting_room\": true, \"join_before_host\": false}}")));
  }

  @Test
  void deletingReportsWhetherThisCallDeletedTheMeeting() {
    zoom.stubFor(
        bearer(delete(urlPathEqualTo(MEETING_PATH)))
            .inScenario("delete")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(204))
            .willSetStateTo("deleted"));
    zoom.stubFor(
        bearer(delete(urlPathEqualTo(MEETING_PATH)))
            .inScenario("delete")
            .whenScenarioStateIs("deleted")
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + MEETING_ID + ".")));

    assertThat(platform.delete(PRACTICE, MEETING)).isTrue();
    assertThat(platform.delete(PRACTICE, MEETING)).isFalse();
  }

  @Test
  void aMeetingIdThatIsNotZoomsIsRejectedWithoutCallingZoom() {
    assertThatThrownBy(() -> platform.get(PRACTICE, "teams:abc"))
        .isInstanceOf(Rejected.class)
        .hasMessageContaining("positive number");
    zoom.verify(0, getRequestedFor(anyUrl()));
  }

  @Test
  void aServerErrorOnAReadIsRetriedAndThenSucceeds() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .inScenario("blip")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("recovered"));
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .inScenario("blip")
            .whenScenarioStateIs("recovered")
            .willReturn(okJsonWithTracking(meetingJson(true, false))));

    assertThat(platform.get(PRACTICE, MEETING).guarded()).isTrue();
    zoom.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aReadThatKeepsFailingStopsAfterThreeAttempts() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    assertThatThrownBy(() -> platform.get(PRACTICE, MEETING))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("get meeting " + MEETING_ID)
                  .doesNotContain("may have created");
              assertThat(e.retryAfter()).isEmpty();
            });
    zoom.verify(3, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aShortRetryAfterIsWaitedInlineAndTheCallSucceeds() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .inScenario("qps")
            .whenScenarioStateIs(STARTED)
            .willReturn(perSecondLimit().withHeader("Retry-After", "1"))
            .willSetStateTo("calm"));
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .inScenario("qps")
            .whenScenarioStateIs("calm")
            .willReturn(okJsonWithTracking(meetingJson(true, false))));

    assertThat(platform.get(PRACTICE, MEETING).meetingId()).isEqualTo(MEETING);
    zoom.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aLongRetryAfterIsHandedBackInsteadOfSlept() {
    zoom.stubFor(
        bearer(get(MEETING_PATH)).willReturn(perSecondLimit().withHeader("Retry-After", "30")));

    assertThatThrownBy(() -> platform.get(PRACTICE, MEETING))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(30));
              assertThat(e.getMessage()).contains("HTTP 429");
            });
    zoom.verify(1, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void theDailyLimitExhaustsTheBudgetUntilZoomsRetryAfter() {
    // Zoom's clock, not ours: the instant is taken as given.
    Instant zoomSays = Instant.parse("2026-03-03T00:00:30Z");
    zoom.stubFor(
        bearer(post(USER_MEETINGS_PATH))
            .willReturn(dailyLimit().withHeader("Retry-After", zoomSays.toString())));
    zoom.stubFor(
        bearer(patch(urlPathEqualTo(MEETING_PATH)))
            .willReturn(dailyLimit().withHeader("Retry-After", zoomSays.toString())));

    assertThatThrownBy(() -> platform.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOfSatisfying(
            BudgetExhausted.class,
            e -> {
              assertThat(e.resumeAt()).isEqualTo(zoomSays);
              assertThat(e.getMessage()).contains("daily").contains("HTTP 429");
              assertNoSecrets(e);
            });
    assertThatThrownBy(() -> platform.update(PRACTICE, MEETING, SPEC))
        .isInstanceOfSatisfying(
            BudgetExhausted.class, e -> assertThat(e.resumeAt()).isEqualTo(zoomSays));
    zoom.verify(1, postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));
    zoom.verify(1, patchRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aDailyLimitWithoutHeadersResumesAtTheNextUtcMidnight() {
    zoom.stubFor(
        bearer(post(USER_MEETINGS_PATH))
            .willReturn(
                zoomError(
                    429,
                    429,
                    "You have exceeded the daily rate limit (100) of Meeting Create/Update API"
                        + " requests permitted for this particular user. You may resume these"
                        + " requests at GMT 00:00:00.")));

    assertThatThrownBy(() -> platform.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOfSatisfying(
            BudgetExhausted.class,
            e -> assertThat(e.resumeAt()).isEqualTo(Instant.parse("2026-03-03T00:00:00Z")));
  }

  @Test
  void aStormOfServerErrorsOpensTheBreakerUntilItsWaitIsOver() {
    Knobs knobs = new Knobs();
    knobs.window = 4;
    knobs.minimumCalls = 4;
    knobs.attempts = 1;
    knobs.openWait = Duration.ofSeconds(30);
    ZoomMeetingPlatform guarded = platform(knobs, Duration.ofSeconds(5));
    zoom.stubFor(bearer(get(MEETING_PATH)).willReturn(zoomError(502, 502, "Bad gateway.")));

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guarded.get(PRACTICE, MEETING))
          .isInstanceOf(Retryable.class)
          .hasMessageContaining("HTTP 502");
    }
    clock.advance(Duration.ofSeconds(10));
    assertThatThrownBy(() -> guarded.get(PRACTICE, MEETING))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.getMessage()).contains("circuit breaker open");
              assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(20));
            });
    assertThatThrownBy(() -> guarded.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("not sent");
    zoom.verify(4, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
    zoom.verify(0, postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));

    zoom.stubFor(
        bearer(get(MEETING_PATH)).willReturn(okJsonWithTracking(meetingJson(true, false))));
    clock.advance(Duration.ofSeconds(21));

    assertThat(guarded.get(PRACTICE, MEETING).meetingId()).isEqualTo(MEETING);
    assertThat(guarded.get(PRACTICE, MEETING).meetingId()).isEqualTo(MEETING);
    assertThat(guarded.get(PRACTICE, MEETING).meetingId()).isEqualTo(MEETING);
    zoom.verify(7, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void missingMeetingsDoNotOpenTheBreaker() {
    Knobs knobs = new Knobs();
    knobs.window = 4;
    knobs.minimumCalls = 4;
    ZoomMeetingPlatform guarded = platform(knobs, Duration.ofSeconds(5));
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + MEETING_ID + ".")));

    for (int i = 0; i < 8; i++) {
      assertThatThrownBy(() -> guarded.get(PRACTICE, MEETING)).isInstanceOf(MeetingGone.class);
    }
    zoom.verify(8, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void theBreakerOfOnePracticeLeavesOthersAlone() {
    Knobs knobs = new Knobs();
    knobs.window = 2;
    knobs.minimumCalls = 2;
    knobs.attempts = 1;
    ZoomMeetingPlatform guarded = platform(knobs, Duration.ofSeconds(5));
    zoom.stubFor(bearer(get(MEETING_PATH)).willReturn(aResponse().withStatus(500)));
    UUID other = UUID.fromString("0b6e3d7a-8a51-4c1e-b8a0-5d7f52f0c9aa");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> guarded.get(PRACTICE, MEETING)).isInstanceOf(Retryable.class);
    }
    assertThatThrownBy(() -> guarded.get(other, MEETING))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("HTTP 500");
    zoom.verify(3, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void theRateLimiterRefusesCallsBeyondItsLimitWithoutReachingZoom() {
    Knobs knobs = new Knobs();
    knobs.light = 2;
    knobs.medium = 1;
    knobs.refreshPeriod = Duration.ofMinutes(1); // no new permits during the test
    knobs.permitWait = Duration.ZERO;
    ZoomMeetingPlatform limited = platform(knobs, Duration.ofSeconds(5));
    zoom.stubFor(
        bearer(get(MEETING_PATH)).willReturn(okJsonWithTracking(meetingJson(true, false))));
    zoom.stubFor(bearer(post(USER_MEETINGS_PATH)).willReturn(created(meetingJson(true, false))));

    limited.get(PRACTICE, MEETING);
    limited.get(PRACTICE, MEETING);
    assertThatThrownBy(() -> limited.get(PRACTICE, MEETING))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.getMessage()).contains("LIGHT rate-limit permit").contains("not sent");
              assertThat(e.retryAfter()).hasValue(Duration.ofMinutes(1));
            });
    limited.create(PRACTICE, HOST_ID, SPEC); // MEDIUM has its own budget
    assertThatThrownBy(() -> limited.create(PRACTICE, HOST_ID, SPEC))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("MEDIUM rate-limit permit");
    zoom.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
    zoom.verify(1, postRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));
  }

  @Test
  void aCallWaitsForTheNextPermitRatherThanFailing() {
    Knobs knobs = new Knobs();
    knobs.light = 1;
    knobs.refreshPeriod = Duration.ofMillis(50);
    knobs.permitWait = Duration.ofSeconds(2);
    ZoomMeetingPlatform limited = platform(knobs, Duration.ofSeconds(5));
    zoom.stubFor(
        bearer(get(MEETING_PATH)).willReturn(okJsonWithTracking(meetingJson(true, false))));

    for (int i = 0; i < 4; i++) {
      assertThat(limited.get(PRACTICE, MEETING).meetingId()).isEqualTo(MEETING);
    }
    zoom.verify(4, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void findsTheMeetingsThatCarryTheReferenceAcrossPagesOldestFirst() {
    long newer = 81234567890L;
    long older = 89876543210L; // a larger id but created earlier: creation time decides
    long unrelated = 85555555555L;
    zoom.stubFor(
        bearer(get(urlPathEqualTo(USER_MEETINGS_PATH)))
            .withQueryParam("type", equalTo("upcoming"))
            .withQueryParam("page_size", equalTo("300"))
            .withQueryParam("next_page_token", absent())
            .willReturn(
                okJsonWithTracking(
                    page(
                        "tok-2",
                        listItem(newer, "Session " + REFERENCE, "2026-02-20T09:05:00Z"),
                        listItem(unrelated, "Session sb-ffffffffffff", "2026-02-19T08:00:00Z")))));
    zoom.stubFor(
        bearer(get(urlPathEqualTo(USER_MEETINGS_PATH)))
            .withQueryParam("type", equalTo("upcoming"))
            .withQueryParam("next_page_token", equalTo("tok-2"))
            .willReturn(
                okJsonWithTracking(
                    page("", listItem(older, "Session " + REFERENCE, "2026-02-20T09:00:00Z")))));
    zoom.stubFor(
        bearer(get("/v2/meetings/" + newer))
            .willReturn(okJsonWithTracking(meeting(newer, "Session " + REFERENCE, true))));
    zoom.stubFor(
        bearer(get("/v2/meetings/" + older))
            .willReturn(okJsonWithTracking(meeting(older, "Session " + REFERENCE, false))));

    List<PlatformMeeting> found = platform.findByReference(PRACTICE, HOST_ID, REFERENCE);

    assertThat(found)
        .extracting(PlatformMeeting::meetingId)
        .containsExactly(Long.toString(older), Long.toString(newer));
    assertThat(found.get(0).waitingRoom()).isFalse(); // settings come from the GET
    assertThat(found.get(1).waitingRoom()).isTrue();
    zoom.verify(2, getRequestedFor(urlPathEqualTo(USER_MEETINGS_PATH)));
    zoom.verify(0, getRequestedFor(urlPathEqualTo("/v2/meetings/" + unrelated)));
  }

  @Test
  void aMatchDeletedBetweenTheListAndItsReadIsLeftOut() {
    long gone = 81234567890L;
    zoom.stubFor(
        bearer(get(urlPathEqualTo(USER_MEETINGS_PATH)))
            .willReturn(
                okJsonWithTracking(
                    page("", listItem(gone, "Session " + REFERENCE, "2026-02-20T09:05:00Z")))));
    zoom.stubFor(
        bearer(get("/v2/meetings/" + gone))
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + gone + ".")));

    assertThat(platform.findByReference(PRACTICE, HOST_ID, REFERENCE)).isEmpty();
  }

  @Test
  void findingForAHostZoomDoesNotKnowIsRejected() {
    zoom.stubFor(
        bearer(get(urlPathEqualTo(USER_MEETINGS_PATH)))
            .willReturn(zoomError(404, 1001, "User does not exist: " + HOST_ID + ".")));

    assertThatThrownBy(() -> platform.findByReference(PRACTICE, HOST_ID, REFERENCE))
        .isInstanceOf(Rejected.class)
        .hasMessageContaining("map the provider");
  }

  @Test
  void changedCredentialsGetANewClientAndToken() {
    zoom.stubFor(
        bearer(get(MEETING_PATH)).willReturn(okJsonWithTracking(meetingJson(true, false))));
    platform.get(PRACTICE, MEETING);
    platform.get(PRACTICE, MEETING);
    connection.set(
        Optional.of(
            new ZoomCredentials(
                ZoomStubs.ACCOUNT_ID,
                ZoomStubs.CLIENT_ID,
                ZoomStubs.CLIENT_SECRET))); // equal record: same client, same token
    platform.get(PRACTICE, MEETING);
    zoom.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));

    String rotatedSecret = "R0tatedS3cretValue";
    String rotatedBasic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (ZoomStubs.CLIENT_ID + ":" + rotatedSecret).getBytes(StandardCharsets.UTF_8));
    zoom.stubFor(
        post(urlPathEqualTo("/oauth/token"))
            .withHeader("Authorization", equalTo(rotatedBasic))
            .willReturn(okJsonWithTracking(ZoomStubs.tokenJson("rotated-token", 3600))));
    connection.set(
        Optional.of(new ZoomCredentials(ZoomStubs.ACCOUNT_ID, ZoomStubs.CLIENT_ID, rotatedSecret)));

    platform.get(PRACTICE, MEETING);

    zoom.verify(
        1,
        postRequestedFor(urlPathEqualTo("/oauth/token"))
            .withHeader("Authorization", equalTo(BASIC)));
    zoom.verify(
        1,
        postRequestedFor(urlPathEqualTo("/oauth/token"))
            .withHeader("Authorization", equalTo(rotatedBasic)));
    zoom.verify(
        1,
        getRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withHeader("Authorization", equalTo("Bearer rotated-token")));
  }

  @Test
  void sixteenThreadsOfOnePracticeShareOneClientAndOneToken() throws Exception {
    // The slow token answer keeps all threads inside their first call at the same time.
    zoom.stubFor(
        ZoomStubs.tokenRequest()
            .willReturn(okJsonWithTracking(ZoomStubs.tokenJson(TOKEN, 3600)).withFixedDelay(300)));
    zoom.stubFor(
        bearer(get(MEETING_PATH)).willReturn(okJsonWithTracking(meetingJson(true, false))));
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<PlatformMeeting>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return platform.get(PRACTICE, MEETING);
                }));
      }
      go.countDown();
      for (Future<PlatformMeeting> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).meetingId()).isEqualTo(MEETING);
      }
    } finally {
      pool.shutdownNow();
    }

    zoom.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
    zoom.verify(threads, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aFailingConnectionLookupIsRetryable() {
    ZoomMeetingPlatform broken =
        new ZoomMeetingPlatform(
            ZoomStubs.settings(zoom, Duration.ofSeconds(5)),
            new Knobs().build(),
            practiceId -> {
              throw new IllegalStateException("store unavailable");
            },
            clock);

    assertThatThrownBy(() -> broken.get(PRACTICE, MEETING))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("could not read the Zoom connection");
  }

  @Test
  void everyFailureIsAPortException() {
    zoom.stubFor(bearer(get(MEETING_PATH)).willReturn(aResponse().withStatus(500)));

    assertThatThrownBy(() -> platform.get(PRACTICE, MEETING))
        .isInstanceOf(MeetingPlatformException.class);
  }

  private ZoomMeetingPlatform platform(Knobs knobs, Duration readTimeout) {
    return new ZoomMeetingPlatform(
        ZoomStubs.settings(zoom, readTimeout),
        knobs.build(),
        practiceId -> connection.get(),
        clock);
  }

  private static ResponseDefinitionBuilder created(String json) {
    return aResponse()
        .withStatus(201)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withBody(json);
  }

  private static ResponseDefinitionBuilder perSecondLimit() {
    return zoomError(
            429,
            429,
            "You have reached the maximum per-second rate limit for this API. Try again later.")
        .withHeader("X-RateLimit-Category", "Light")
        .withHeader("X-RateLimit-Type", "QPS");
  }

  private static ResponseDefinitionBuilder dailyLimit() {
    return zoomError(
            429,
            429,
            "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests"
                + " permitted for this particular user.")
        .withHeader("X-RateLimit-Type", "Daily-limit");
  }

  /**
   * A list page (trimmed shape of {@code GET /users/{userId}/meetings}); items have no settings.
   */
  private static String page(String nextPageToken, String... items) {
    return "{\"page_size\":300,\"total_records\":"
        + items.length
        + ",\"next_page_token\":\""
        + nextPageToken
        + "\",\"meetings\":["
        + String.join(",", items)
        + "]}";
  }

  private static String listItem(long id, String topic, String createdAt) {
    return """
        {"uuid":"u%d==","id":%d,"host_id":"%s","topic":"%s","type":2,
         "start_time":"2026-03-02T14:00:00Z","duration":50,"timezone":"Europe/Paris",
         "created_at":"%s","join_url":"https://us06web.zoom.us/j/%d?pwd=JoinPwdS3cret"}
        """
        .formatted(id, id, HOST_ID, topic, createdAt, id);
  }

  private static String meeting(long id, String topic, boolean waitingRoom) {
    return meetingJson(waitingRoom, false)
        .replace("\"id\": " + MEETING_ID, "\"id\": " + id)
        .replace("Consultation #A-123", topic);
  }

  /** Test knobs: fast backoff and limits high enough not to interfere unless a test lowers them. */
  private static final class Knobs {
    int window = 10;
    int minimumCalls = 5;
    Duration openWait = Duration.ofSeconds(30);
    int light = 1_000;
    int medium = 1_000;
    Duration refreshPeriod = Duration.ofSeconds(1);
    Duration permitWait = Duration.ofSeconds(1);
    int attempts = 3;

    ZoomResilience build() {
      return new ZoomResilience(
          window,
          minimumCalls,
          50,
          openWait,
          2,
          medium,
          light,
          refreshPeriod,
          permitWait,
          attempts,
          Duration.ofMillis(10),
          Duration.ofSeconds(2));
    }
  }
}
