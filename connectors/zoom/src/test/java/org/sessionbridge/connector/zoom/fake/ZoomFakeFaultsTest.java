package org.sessionbridge.connector.zoom.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.fake.ZoomWire.ACCOUNT;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.zoom.ZoomApi;
import org.sessionbridge.connector.zoom.ZoomMeeting;
import org.sessionbridge.connector.zoom.ZoomMeetingRequest;
import org.sessionbridge.connector.zoom.ZoomTransientException;

class ZoomFakeFaultsTest {

  private static final String HOST = "dr.house@example.com";

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T09:00:00Z"));
  private ZoomFake fake;
  private ZoomApi api;

  @BeforeEach
  void start() {
    fake = ZoomFake.start(0, clock);
    fake.addAccount(ACCOUNT, ZoomWire.CLIENT_ID, ZoomWire.CLIENT_SECRET);
    fake.addUser(ACCOUNT, HOST);
    api = ZoomWire.api(fake);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void aDroppedCreateResponseIsAnIoFailureButTheMeetingExists() {
    fake.dropNextCreateResponse();

    assertThatThrownBy(() -> api.createMeeting(HOST, request("Session A-1")))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.httpStatus()).isEmpty();
              assertThat(e.getCause()).isInstanceOf(IOException.class);
            });

    assertThat(fake.meetings())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.deleted()).isFalse();
              assertThat(m.hostEmail()).isEqualTo(HOST);
            });
    assertThat(fake.counts().creates()).isEqualTo(1);
    // Only one response was dropped: the next create is answered, and a second meeting exists.
    ZoomMeeting next = api.createMeeting(HOST, request("Session A-1"));
    assertThat(fake.meetings()).hasSize(2);
    assertThat(fake.meeting(next.id())).isPresent();
  }

  @Test
  void armedFailuresAnswerTheNextCallsWithoutTouchingTheState() {
    ZoomMeeting meeting = api.createMeeting(HOST, request("Session A-1"));
    fake.failNext(
        2, 503, "{\"code\":503,\"message\":\"Service Unavailable\"}", Map.of("Retry-After", "7"));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> api.getMeeting(meeting.id()))
          .isInstanceOfSatisfying(
              ZoomTransientException.class,
              e -> {
                assertThat(e.httpStatus()).hasValue(503);
                assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
              });
    }

    assertThat(api.getMeeting(meeting.id()).id()).isEqualTo(meeting.id());
    assertThat(fake.counts().injectedFaults()).isEqualTo(2);
    assertThat(fake.counts().gets()).isEqualTo(1);
  }

  @Test
  void anInjected401IsAnsweredByOneTokenRefreshAndRetry() {
    ZoomMeeting meeting = api.createMeeting(HOST, request("Session A-1"));
    fake.failNext(1, 401, "{\"code\":124,\"message\":\"Invalid access token.\"}", Map.of());

    assertThat(api.getMeeting(meeting.id()).id()).isEqualTo(meeting.id());
    assertThat(fake.counts().tokenGrants()).isEqualTo(2);
  }

  @Test
  void aDelayLongerThanTheReadTimeoutIsATimeout() {
    ZoomMeeting meeting = api.createMeeting(HOST, request("Session A-1"));
    ZoomApi impatient = ZoomWire.api(fake, Duration.ofMillis(500));
    impatient.verifyCredentials(); // the token endpoint is never delayed; get it out of the way
    fake.delayNext(Duration.ofMillis(1500));

    assertThatThrownBy(() -> impatient.getMeeting(meeting.id()))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> assertThat(e.getMessage()).contains("get meeting", "timed out"));
    assertThat(api.getMeeting(meeting.id()).id()).isEqualTo(meeting.id());
  }

  @Test
  void concurrentCreatesFromManyThreadsAreAllStoredWithDistinctIds() throws Exception {
    List<String> hosts = new ArrayList<>();
    for (int h = 0; h < 4; h++) {
      String email = "host" + h + "@example.com";
      fake.addUser(ACCOUNT, email);
      hosts.add(email);
    }
    ZoomApi shared = ZoomWire.api(fake);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> ids = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        String host = hosts.get(i % hosts.size());
        ids.add(pool.submit(() -> shared.createMeeting(host, request("Load")).id()));
      }
      Set<Long> distinct = new HashSet<>();
      for (Future<Long> id : ids) {
        distinct.add(id.get());
      }
      assertThat(distinct).hasSize(80);
    } finally {
      pool.shutdownNow();
    }
    assertThat(fake.meetings()).hasSize(80);
    assertThat(fake.counts().creates()).isEqualTo(80);
    assertThat(fake.counts().tokenGrants()).isEqualTo(1);
  }

  private static ZoomMeetingRequest request(String topic) {
    return new ZoomMeetingRequest(
        topic, LocalDateTime.parse("2026-03-05T09:00:00"), ZoneId.of("Europe/Paris"), 30);
  }
}
