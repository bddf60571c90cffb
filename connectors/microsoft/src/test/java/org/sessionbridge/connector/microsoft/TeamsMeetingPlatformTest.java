package org.sessionbridge.connector.microsoft;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.sessionbridge.connector.microsoft.GraphStubs.HOST;
import static org.sessionbridge.connector.microsoft.GraphStubs.MEETING_ID;
import static org.sessionbridge.connector.microsoft.GraphStubs.graphError;
import static org.sessionbridge.connector.microsoft.GraphStubs.json;
import static org.sessionbridge.connector.microsoft.GraphStubs.meeting;
import static org.sessionbridge.connector.microsoft.GraphStubs.token;
import static org.sessionbridge.connector.microsoft.GraphStubs.tokenRequest;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.microsoft.kiota.http.middleware.RedirectHandler;
import com.microsoft.kiota.http.middleware.RetryHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.meeting.MeetingReference;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatformException;
import org.sessionbridge.core.practice.VideoPlatform;

/** The Teams adapter against WireMock at the socket (API-NOTES §2.1, §2.7, §2.9). */
class TeamsMeetingPlatformTest {

  private static final UUID PRACTICE = UUID.fromString("11111111-2222-3333-4444-555555555555");
  private static final String REFERENCE = "sb-0123456789ab";
  private static final String USER_PATH = "/v1.0/users/" + HOST + "/onlineMeetings";
  private static final String CREATE_PATH = USER_PATH + "/createOrGet";
  private static final String MEETING_PATH = USER_PATH + "/" + MEETING_ID;
  private static final String HUB_ID = HOST + "/" + MEETING_ID;

  private WireMockServer wm;
  private MutableClock clock;

  @BeforeEach
  void start() {
    wm = new WireMockServer(options().dynamicPort());
    wm.start();
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    wm.stubFor(tokenRequest().willReturn(token("at-first")));
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private TeamsMeetingPlatform platform() {
    return platform(MicrosoftResilience.defaults(), Duration.ofSeconds(5));
  }

  private TeamsMeetingPlatform platform(MicrosoftResilience resilience, Duration readTimeout) {
    return new TeamsMeetingPlatform(
        GraphStubs.settings(wm, readTimeout),
        resilience,
        practice -> Optional.of(GraphStubs.CREDENTIALS),
        clock);
  }

  private static MicrosoftResilience resilience(
      int window, int attempts, int concurrent, Duration permitWait, Duration maxInlineWait) {
    return new MicrosoftResilience(
        window,
        window,
        50,
        Duration.ofSeconds(30),
        1,
        concurrent,
        permitWait,
        attempts,
        Duration.ofMillis(10),
        maxInlineWait);
  }

  private static MeetingSpec spec() {
    return new MeetingSpec(
        REFERENCE,
        MeetingReference.topic(REFERENCE),
        Instant.parse("2026-03-02T14:00:00Z"),
        Duration.ofMinutes(50),
        ZoneId.of("Europe/Paris"));
  }

  @Test
  void runsTheGraphSdkOverOkHttp5WithoutKiotasRetryOrRedirectHandler() {
    assertThat(OkHttp.VERSION).startsWith("5.");
    TeamsMeetingPlatform teams = platform();
    assertThat(teams.calls().http().interceptors())
        .isNotEmpty()
        .noneMatch(i -> i instanceof RetryHandler || i instanceof RedirectHandler);
    assertThat(teams.calls().http().retryOnConnectionFailure()).isFalse();
    assertThat(teams.platform()).isEqualTo(VideoPlatform.TEAMS);
  }

  @Test
  void createsWithCreateOrGetTheReferenceAsExternalIdAndTheStrictLobby() {
    wm.stubFor(
        post(urlPathEqualTo(CREATE_PATH))
            .willReturn(json(201, meeting("organizer", false, "organizer"))));

    PlatformMeeting created = platform().create(PRACTICE, HOST, spec());

    wm.verify(
        1,
        postRequestedFor(urlPathEqualTo(CREATE_PATH))
            .withHeader("Authorization", equalTo("Bearer at-first"))
            .withRequestBody(matchingJsonPath("$.externalId", equalTo(REFERENCE)))
            .withRequestBody(
                matchingJsonPath("$.subject", equalTo("Telehealth session (" + REFERENCE + ")")))
            .withRequestBody(
                matchingJsonPath("$.startDateTime", equalTo("2026-03-02T15:00:00+01:00")))
            .withRequestBody(
                matchingJsonPath("$.endDateTime", equalTo("2026-03-02T15:50:00+01:00")))
            .withRequestBody(matchingJsonPath("$.lobbyBypassSettings.scope", equalTo("organizer")))
            .withRequestBody(
                matchingJsonPath("$.lobbyBypassSettings.isDialInBypassEnabled", equalTo("false")))
            .withRequestBody(matchingJsonPath("$.allowedPresenters", equalTo("organizer"))));
    wm.verify(0, patchRequestedFor(urlPathEqualTo(MEETING_PATH)));
    assertThat(created.meetingId()).isEqualTo(HUB_ID);
    assertThat(created.joinUrl().toString()).isEqualTo(GraphStubs.JOIN_URL);
    assertThat(created.start()).contains(Instant.parse("2026-03-02T14:00:00Z"));
    assertThat(created.durationMinutes()).isEqualTo(50);
    assertThat(created.guarded()).isTrue();
    assertThat(created.toString()).doesNotContain("meetup-join");
  }

  @Test
  void patchesTheLobbyAtOnceWhenCreateOrGetAnswersAnUnguardedMeeting() {
    wm.stubFor(
        post(urlPathEqualTo(CREATE_PATH))
            .willReturn(json(200, meeting("organization", true, "everyone"))));
    wm.stubFor(
        patch(urlPathEqualTo(MEETING_PATH))
            .willReturn(json(200, meeting("organizer", false, "organizer"))));

    PlatformMeeting created = platform().create(PRACTICE, HOST, spec());

    wm.verify(
        1,
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withRequestBody(
                equalToJson(
                    "{\"lobbyBypassSettings\":{\"scope\":\"organizer\",\"isDialInBypassEnabled\":false},"
                        + "\"allowedPresenters\":\"organizer\"}",
                    true,
                    true)));
    assertThat(created.waitingRoom()).isTrue();
    assertThat(created.joinBeforeHost()).isFalse();
  }

  @Test
  void aCreateWhoseAnswerWasLostIsRepeatedWithTheSameExternalIdSoGraphGivesTheSameMeeting() {
    wm.stubFor(
        post(urlPathEqualTo(CREATE_PATH))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("created"));
    wm.stubFor(
        post(urlPathEqualTo(CREATE_PATH))
            .inScenario("lost")
            .whenScenarioStateIs("created")
            .willReturn(json(200, meeting("organizer", false, "organizer"))));

    PlatformMeeting created = platform().create(PRACTICE, HOST, spec());

    assertThat(created.meetingId()).isEqualTo(HUB_ID);
    // The reset one may be journalled before its body was read: count both, check the repeat.
    wm.verify(2, postRequestedFor(urlPathEqualTo(CREATE_PATH)));
    wm.verify(
        postRequestedFor(urlPathEqualTo(CREATE_PATH))
            .withRequestBody(matchingJsonPath("$.externalId", equalTo(REFERENCE))));
    assertThat(platform().findByReference(PRACTICE, HOST, REFERENCE)).isEmpty();
  }

  @Test
  void a401DropsTheTokenFetchesANewOneAndRepeatsOnce() {
    wm.stubFor(
        tokenRequest()
            .inScenario("tokens")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(token("at-first"))
            .willSetStateTo("second"));
    wm.stubFor(
        tokenRequest()
            .inScenario("tokens")
            .whenScenarioStateIs("second")
            .willReturn(token("at-second")));
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .withHeader("Authorization", equalTo("Bearer at-first"))
            .willReturn(
                graphError(
                    401,
                    "InvalidAuthenticationToken",
                    "Lifetime validation failed, the token is expired.")));
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .withHeader("Authorization", equalTo("Bearer at-second"))
            .willReturn(json(200, meeting("everyone", true, "everyone"))));

    PlatformMeeting read = platform().get(PRACTICE, HUB_ID);

    assertThat(read.guarded()).isFalse();
    wm.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
    wm.verify(2, postRequestedFor(urlPathEqualTo(GraphStubs.tokenPath())));
  }

  @Test
  void aSecond401IsNotAuthorized() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(
                graphError(401, "InvalidAuthenticationToken", "Access token validation failure.")));

    Throwable thrown = catchThrowable(() -> platform().get(PRACTICE, HUB_ID));

    assertThat(thrown).isInstanceOf(MeetingPlatformException.NotAuthorized.class);
    wm.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
    GraphStubs.assertNoSecrets(thrown, HOST);
  }

  @Test
  void a403WithoutApplicationAccessPolicyIsNotAuthorizedAndNotRepeated() {
    wm.stubFor(
        post(urlPathEqualTo(CREATE_PATH))
            .willReturn(
                graphError(403, "Forbidden", "No application access policy found for this app.")));

    Throwable thrown = catchThrowable(() -> platform().create(PRACTICE, HOST, spec()));

    assertThat(thrown)
        .isInstanceOf(MeetingPlatformException.NotAuthorized.class)
        .hasMessageContaining("HTTP 403 Forbidden")
        .hasMessageContaining("application access policy");
    wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE_PATH)));
  }

  @Test
  void notFoundIsMeetingGoneAndDeleteOfAGoneMeetingIsFalse() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH)).willReturn(graphError(404, "NotFound", "not found")));
    wm.stubFor(
        delete(urlPathEqualTo(MEETING_PATH)).willReturn(graphError(404, "NotFound", "not found")));

    assertThatThrownBy(() -> platform().get(PRACTICE, HUB_ID))
        .isInstanceOf(MeetingPlatformException.MeetingGone.class);
    assertThat(platform().delete(PRACTICE, HUB_ID)).isFalse();
  }

  @Test
  void deleteAnswers204AndIsTrue() {
    wm.stubFor(delete(urlPathEqualTo(MEETING_PATH)).willReturn(aResponse().withStatus(204)));

    assertThat(platform().delete(PRACTICE, HUB_ID)).isTrue();
    wm.verify(1, deleteRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void updatePatchesSubjectStartEndAndReassertsTheLobby() {
    wm.stubFor(
        patch(urlPathEqualTo(MEETING_PATH))
            .willReturn(json(200, meeting("organizer", false, "organizer"))));

    platform().update(PRACTICE, HUB_ID, spec());

    wm.verify(
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withRequestBody(
                matchingJsonPath("$.startDateTime", equalTo("2026-03-02T15:00:00+01:00")))
            .withRequestBody(
                matchingJsonPath("$.endDateTime", equalTo("2026-03-02T15:50:00+01:00")))
            .withRequestBody(
                matchingJsonPath("$.subject", equalTo("Telehealth session (" + REFERENCE + ")")))
            .withRequestBody(matchingJsonPath("$.lobbyBypassSettings.scope", equalTo("organizer")))
            .withRequestBody(matchingJsonPath("$.allowedPresenters", equalTo("organizer"))));
  }

  @Test
  void enforceSendsOnlyTheLobby() {
    wm.stubFor(
        patch(urlPathEqualTo(MEETING_PATH))
            .willReturn(json(200, meeting("organizer", false, "organizer"))));

    platform().enforceWaitingRoom(PRACTICE, HUB_ID);

    wm.verify(
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withRequestBody(
                equalToJson(
                    "{\"lobbyBypassSettings\":{\"scope\":\"organizer\",\"isDialInBypassEnabled\":false},"
                        + "\"allowedPresenters\":\"organizer\"}",
                    true,
                    true))
            .withRequestBody(notContaining("subject"))
            .withRequestBody(notContaining("DateTime\"")));
  }

  @Test
  void a429WithAShortRetryAfterIsWaitedInlineOnce() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .inScenario("throttled")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                graphError(
                        429,
                        "ApplicationThrottled",
                        "Application is over its MailboxConcurrency limit.")
                    .withHeader("Retry-After", "1"))
            .willSetStateTo("ok"));
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .inScenario("throttled")
            .whenScenarioStateIs("ok")
            .willReturn(json(200, meeting("organizer", false, "organizer"))));

    long started = System.nanoTime();
    assertThat(platform().get(PRACTICE, HUB_ID).guarded()).isTrue();

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    wm.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void a429WithALongRetryAfterIsHandedBackWithoutSleeping() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(
                graphError(429, "TooManyRequests", "Too many requests.")
                    .withHeader("Retry-After", "120")));

    Throwable thrown = catchThrowable(() -> platform().get(PRACTICE, HUB_ID));

    assertThat(thrown).isInstanceOf(MeetingPlatformException.Retryable.class);
    assertThat(((MeetingPlatformException.Retryable) thrown).retryAfter())
        .contains(Duration.ofSeconds(120));
    wm.verify(1, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void a503WithRetryAfterIsHandedBackAndTheSdkDoesNotRetryBehindOurBack() {
    // Kiota's RetryHandler would send this 4 times (3 retries of 503 honouring Retry-After).
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(
                graphError(503, "ServiceUnavailable", "busy").withHeader("Retry-After", "1")));

    Throwable thrown =
        catchThrowable(
            () ->
                platform(
                        resilience(10, 1, 4, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                        Duration.ofSeconds(5))
                    .get(PRACTICE, HUB_ID));

    assertThat(thrown).isInstanceOf(MeetingPlatformException.Retryable.class);
    assertThat(((MeetingPlatformException.Retryable) thrown).retryAfter())
        .contains(Duration.ofSeconds(1));
    wm.verify(1, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void other5xxAreRetriedExactlyAsOftenAsConfigured() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH)).willReturn(graphError(502, "BadGateway", "bad gateway")));

    Throwable thrown =
        catchThrowable(
            () ->
                platform(
                        resilience(10, 3, 4, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                        Duration.ofSeconds(5))
                    .get(PRACTICE, HUB_ID));

    assertThat(thrown)
        .isInstanceOf(MeetingPlatformException.Retryable.class)
        .hasMessageContaining("HTTP 502");
    wm.verify(3, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aGatewayAnswerThatIsNotJsonIsStillMappedByItsStatus() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(
                aResponse()
                    .withStatus(502)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html>Bad gateway</html>")));

    Throwable thrown =
        catchThrowable(
            () ->
                platform(
                        resilience(10, 1, 4, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                        Duration.ofSeconds(5))
                    .get(PRACTICE, HUB_ID));

    assertThat(thrown)
        .isInstanceOf(MeetingPlatformException.Retryable.class)
        .hasMessageContaining("HTTP 502");
  }

  @Test
  void aRetriedPatchCarriesItsBodyAgain() {
    wm.stubFor(
        patch(urlPathEqualTo(MEETING_PATH))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(graphError(503, "ServiceUnavailable", "busy"))
            .willSetStateTo("ok"));
    wm.stubFor(
        patch(urlPathEqualTo(MEETING_PATH))
            .inScenario("flaky")
            .whenScenarioStateIs("ok")
            .willReturn(json(200, meeting("organizer", false, "organizer"))));

    platform().enforceWaitingRoom(PRACTICE, HUB_ID);

    // Kiota's backing store would send an empty body the second time if the model were reused.
    wm.verify(
        2,
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withRequestBody(
                matchingJsonPath("$.lobbyBypassSettings.scope", equalTo("organizer"))));
  }

  @Test
  void aReadTimeoutIsRetryable() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(json(200, meeting("organizer", false, "organizer")).withFixedDelay(1500)));

    Throwable thrown =
        catchThrowable(
            () ->
                platform(
                        resilience(10, 1, 4, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                        Duration.ofMillis(300))
                    .get(PRACTICE, HUB_ID));

    assertThat(thrown)
        .isInstanceOf(MeetingPlatformException.Retryable.class)
        .hasMessageContaining("no answer in time");
  }

  @Test
  void a5xxStormOpensTheBreakerAndLaterCallsAreNotSent() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(graphError(500, "InternalServerError", "boom")));
    TeamsMeetingPlatform teams =
        platform(
            resilience(4, 1, 4, Duration.ofSeconds(1), Duration.ofSeconds(5)),
            Duration.ofSeconds(5));

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> teams.get(PRACTICE, HUB_ID))
          .isInstanceOf(MeetingPlatformException.Retryable.class);
    }
    Throwable refused = catchThrowable(() -> teams.get(PRACTICE, HUB_ID));

    assertThat(refused)
        .isInstanceOf(MeetingPlatformException.Retryable.class)
        .hasMessageContaining("circuit breaker open");
    assertThat(((MeetingPlatformException.Retryable) refused).retryAfter())
        .contains(Duration.ofSeconds(30));
    wm.verify(4, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void aMailboxHasAtMostFourRequestsInFlight() throws Exception {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(json(200, meeting("organizer", false, "organizer")).withFixedDelay(1000)));
    String other = "0a0b0c0d-1111-2222-3333-444444444444";
    String otherPath = "/v1.0/users/" + other + "/onlineMeetings/" + MEETING_ID;
    wm.stubFor(
        get(urlPathEqualTo(otherPath))
            .willReturn(json(200, meeting("organizer", false, "organizer"))));
    TeamsMeetingPlatform teams =
        platform(resilience(50, 1, 4, Duration.ZERO, Duration.ofSeconds(5)), Duration.ofSeconds(5));
    teams.get(PRACTICE, other + "/" + MEETING_ID); // token fetched, so no thread waits on it

    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  teams.get(PRACTICE, HUB_ID);
                  return true;
                } catch (MeetingPlatformException.Retryable full) {
                  assertThat(full).hasMessageContaining("requests in flight");
                  return false;
                }
              }));
    }
    go.countDown();
    Thread.sleep(300);
    // Another organizer's mailbox is not held up by the full one.
    assertThat(teams.get(PRACTICE, other + "/" + MEETING_ID).guarded()).isTrue();
    int served = 0;
    for (Future<Boolean> r : results) {
      served += r.get(10, TimeUnit.SECONDS) ? 1 : 0;
    }
    pool.shutdown();

    assertThat(served).isEqualTo(4);
    wm.verify(4, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void a400IsRejectedWithGraphsCodeAndAScrubbedMessage() {
    wm.stubFor(
        post(urlPathEqualTo(CREATE_PATH))
            .willReturn(
                graphError(
                    400,
                    "BadRequest",
                    "Invalid subject 'Jane Doe therapy' for user jane@example.com")));

    Throwable thrown = catchThrowable(() -> platform().create(PRACTICE, HOST, spec()));

    assertThat(thrown)
        .isInstanceOf(MeetingPlatformException.Rejected.class)
        .hasMessageContaining("HTTP 400 BadRequest")
        .hasMessageContaining("Invalid subject");
    GraphStubs.assertNoSecrets(thrown, "Jane Doe", "jane@example.com");
    wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE_PATH)));
  }

  @Test
  void refusedAppCredentialsAreNotAuthorizedWithMicrosoftsReasonAndNoSecret() {
    wm.stubFor(
        tokenRequest()
            .willReturn(
                json(
                    401,
                    "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client"
                        + " secret provided.\\r\\nTrace ID: abc\\r\\nCorrelation ID: def\","
                        + "\"error_codes\":[7000215]}")));

    Throwable thrown = catchThrowable(() -> platform().create(PRACTICE, HOST, spec()));

    assertThat(thrown)
        .isInstanceOf(MeetingPlatformException.NotAuthorized.class)
        .hasMessageContaining("invalid_client")
        .hasMessageContaining("AADSTS7000215")
        .hasMessageNotContaining("Trace ID");
    GraphStubs.assertNoSecrets(thrown);
    wm.verify(0, postRequestedFor(urlPathEqualTo(CREATE_PATH)));
  }

  @Test
  void aPracticeWithoutConnectionIsNotAuthorizedWithoutARequest() {
    TeamsMeetingPlatform teams =
        new TeamsMeetingPlatform(
            GraphStubs.settings(wm, Duration.ofSeconds(5)),
            MicrosoftResilience.defaults(),
            practice -> Optional.empty(),
            clock);

    assertThatThrownBy(() -> teams.create(PRACTICE, HOST, spec()))
        .isInstanceOf(MeetingPlatformException.NotAuthorized.class)
        .hasMessageContaining("not connected");
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void theTokenIsCachedUntilShortlyBeforeItExpires() {
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(json(200, meeting("organizer", false, "organizer"))));
    TeamsMeetingPlatform teams = platform();

    teams.get(PRACTICE, HUB_ID);
    clock.advance(Duration.ofMinutes(50));
    teams.get(PRACTICE, HUB_ID);
    wm.verify(1, postRequestedFor(urlPathEqualTo(GraphStubs.tokenPath())));

    clock.advance(Duration.ofMinutes(6)); // 56 min: inside the 5-minute margin of 3599 s
    teams.get(PRACTICE, HUB_ID);
    wm.verify(2, postRequestedFor(urlPathEqualTo(GraphStubs.tokenPath())));
  }

  @Test
  void sixteenThreadsNeedingATokenCauseOneTokenRequest() throws Exception {
    wm.stubFor(tokenRequest().willReturn(token("at-first").withFixedDelay(300)));
    wm.stubFor(
        get(urlPathEqualTo(MEETING_PATH))
            .willReturn(json(200, meeting("organizer", false, "organizer"))));
    TeamsMeetingPlatform teams =
        platform(
            resilience(50, 1, 4, Duration.ofSeconds(10), Duration.ofSeconds(5)),
            Duration.ofSeconds(5));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<PlatformMeeting>> results = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return teams.get(PRACTICE, HUB_ID);
              }));
    }
    go.countDown();
    for (Future<PlatformMeeting> r : results) {
      assertThat(r.get(20, TimeUnit.SECONDS).guarded()).isTrue();
    }
    pool.shutdown();

    wm.verify(1, postRequestedFor(urlPathEqualTo(GraphStubs.tokenPath())));
  }

  @Test
  void aMeetingIdWithoutOrganizerIsRejectedWithoutARequest() {
    assertThatThrownBy(() -> platform().get(PRACTICE, MEETING_ID))
        .isInstanceOf(MeetingPlatformException.Rejected.class);
    assertThat(wm.getAllServeEvents()).isEmpty();
  }
}
