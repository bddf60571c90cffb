package org.sessionbridge.connector.zoom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.ZoomStubs.CREDENTIALS;
import static org.sessionbridge.connector.zoom.ZoomStubs.MEETING_ID;
import static org.sessionbridge.connector.zoom.ZoomStubs.assertNoSecrets;
import static org.sessionbridge.connector.zoom.ZoomStubs.meetingJson;
import static org.sessionbridge.connector.zoom.ZoomStubs.okJsonWithTracking;
import static org.sessionbridge.connector.zoom.ZoomStubs.tokenJson;
import static org.sessionbridge.connector.zoom.ZoomStubs.tokenRequest;
import static org.sessionbridge.connector.zoom.ZoomStubs.zoomError;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZoomTokensTest {

  private static final String MEETING_PATH = "/v2/meetings/" + MEETING_ID;

  private final WireMockServer zoom =
      new WireMockServer(options().dynamicPort().containerThreads(40));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));
  private ZoomApi api;

  @BeforeEach
  void start() {
    zoom.start();
    api = new ZoomApi(ZoomStubs.settings(zoom, Duration.ofSeconds(5)), CREDENTIALS, clock);
  }

  @AfterEach
  void stop() {
    zoom.stop();
  }

  @Test
  void fetchesTheTokenWithBasicAuthAndTheAccountCredentialsGrant() {
    ZoomStubs.stubToken(zoom);
    zoom.stubFor(get(MEETING_PATH).willReturn(okJsonWithTracking(meetingJson(true, false))));

    api.getMeeting(MEETING_ID);

    zoom.verify(
        1,
        postRequestedFor(urlPathEqualTo("/oauth/token"))
            .withHeader("Authorization", equalTo(ZoomStubs.BASIC))
            .withRequestBody(
                equalTo("grant_type=account_credentials&account_id=" + ZoomStubs.ACCOUNT_ID)));
    zoom.verify(
        getRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withHeader("Authorization", equalTo("Bearer " + ZoomStubs.TOKEN)));
  }

  @Test
  void reusesTheTokenUntilAMinuteBeforeItExpires() {
    ZoomStubs.stubToken(zoom); // expires_in 3600
    zoom.stubFor(get(MEETING_PATH).willReturn(okJsonWithTracking(meetingJson(true, false))));

    api.getMeeting(MEETING_ID);
    api.getMeeting(MEETING_ID);
    clock.advance(Duration.ofSeconds(3600 - 61));
    api.getMeeting(MEETING_ID);
    zoom.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));

    clock.advance(Duration.ofSeconds(2)); // 59 s left: refresh now rather than fail mid-call
    api.getMeeting(MEETING_ID);
    zoom.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
    zoom.verify(4, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void sixteenThreadsNeedingATokenAtOnceCauseASingleTokenRequest() throws Exception {
    // The slow token answer keeps all threads waiting for the same fetch.
    zoom.stubFor(
        tokenRequest()
            .willReturn(okJsonWithTracking(tokenJson(ZoomStubs.TOKEN, 3600)).withFixedDelay(300)));
    zoom.stubFor(get(MEETING_PATH).willReturn(okJsonWithTracking(meetingJson(true, false))));
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<ZoomMeeting>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return api.getMeeting(MEETING_ID);
                }));
      }
      go.countDown();
      for (Future<ZoomMeeting> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).id()).isEqualTo(MEETING_ID);
      }
    } finally {
      pool.shutdownNow();
    }

    zoom.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
    zoom.verify(
        threads,
        getRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withHeader("Authorization", equalTo("Bearer " + ZoomStubs.TOKEN)));
  }

  @Test
  void a401DropsTheTokenAndRetriesOnceWithAFreshOne() {
    stubTwoSuccessiveTokens();
    zoom.stubFor(
        get(MEETING_PATH)
            .withHeader("Authorization", equalTo("Bearer token-one"))
            .willReturn(zoomError(401, 124, "Invalid access token.")));
    zoom.stubFor(
        get(MEETING_PATH)
            .withHeader("Authorization", equalTo("Bearer token-two"))
            .willReturn(okJsonWithTracking(meetingJson(true, false))));

    ZoomMeeting meeting = api.getMeeting(MEETING_ID);

    assertThat(meeting.id()).isEqualTo(MEETING_ID);
    zoom.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
    zoom.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
    api.getMeeting(MEETING_ID); // the fresh token is cached
    zoom.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
  }

  @Test
  void manyThreadsHitBy401sStillCauseASingleNewToken() throws Exception {
    stubTwoSuccessiveTokens();
    zoom.stubFor(
        get(MEETING_PATH)
            .withHeader("Authorization", equalTo("Bearer token-one"))
            .willReturn(zoomError(401, 124, "Access token is expired.")));
    zoom.stubFor(
        get(MEETING_PATH)
            .withHeader("Authorization", equalTo("Bearer token-two"))
            .willReturn(okJsonWithTracking(meetingJson(true, false))));
    zoom.stubFor(delete(MEETING_PATH).willReturn(aResponse().withStatus(204)));
    api.deleteMeeting(MEETING_ID); // caches token-one
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<ZoomMeeting>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return api.getMeeting(MEETING_ID);
                }));
      }
      go.countDown();
      for (Future<ZoomMeeting> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).id()).isEqualTo(MEETING_ID);
      }
    } finally {
      pool.shutdownNow();
    }

    // Threads whose 401 arrives after the refresh reuse token-two instead of fetching again.
    zoom.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
  }

  @Test
  void a401WithTheFreshTokenTooIsAnAuthorizationErrorAfterOneRetry() {
    stubTwoSuccessiveTokens();
    zoom.stubFor(get(MEETING_PATH).willReturn(zoomError(401, 124, "Invalid access token.")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomAuthorizationException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(401);
              assertThat(e.zoomCode()).hasValue(124);
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.getMessage())
                  .contains("get meeting " + MEETING_ID)
                  .contains("HTTP 401")
                  .contains("Zoom code 124")
                  .doesNotContain("token-one")
                  .doesNotContain("token-two");
              assertNoSecrets(e);
            });
    zoom.verify(2, postRequestedFor(urlPathEqualTo("/oauth/token")));
    zoom.verify(2, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void invalidClientCredentialsAreAnAuthorizationErrorThatNamesNoSecret() {
    zoom.stubFor(
        tokenRequest()
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"reason\":\"Invalid client_id or client_secret\","
                            + "\"error\":\"invalid_client\"}")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomAuthorizationException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("OAuth token request")
                  .contains("HTTP 400")
                  .contains("invalid_client");
              assertNoSecrets(e);
            });
    zoom.verify(0, getRequestedFor(urlPathEqualTo(MEETING_PATH)));
  }

  @Test
  void anOutageOfTheTokenEndpointIsTransient() {
    zoom.stubFor(
        tokenRequest().willReturn(aResponse().withStatus(503).withHeader("Retry-After", "5")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(503);
              assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(5));
              assertNoSecrets(e);
            });
  }

  @Test
  void aTokenAnswerWithoutAccessTokenIsAProtocolError() {
    zoom.stubFor(
        tokenRequest()
            .willReturn(okJsonWithTracking("{\"token_type\":\"bearer\",\"expires_in\":3600}")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOf(ZoomProtocolException.class)
        .hasMessageContaining("no access_token");
  }

  @Test
  void aTokenAnswerThatIsNotJsonIsAProtocolErrorWithoutTheBody() {
    zoom.stubFor(
        tokenRequest()
            .willReturn(
                okJsonWithTracking("{\"access_token\":\"" + ZoomStubs.TOKEN + "\",\"expires_")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomProtocolException.class,
            e -> {
              assertThat(e.getMessage()).contains("OAuth token request").contains("not JSON");
              assertNoSecrets(e);
            });
  }

  private void stubTwoSuccessiveTokens() {
    zoom.stubFor(
        tokenRequest()
            .inScenario("tokens")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("second")
            .willReturn(okJsonWithTracking(tokenJson("token-one", 3600))));
    zoom.stubFor(
        tokenRequest()
            .inScenario("tokens")
            .whenScenarioStateIs("second")
            .willReturn(okJsonWithTracking(tokenJson("token-two", 3600))));
  }
}
