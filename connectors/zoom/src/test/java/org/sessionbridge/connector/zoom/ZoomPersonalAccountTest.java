package org.sessionbridge.connector.zoom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatformException.NotAuthorized;

/**
 * A provider hosting on a personal Zoom account through {@link ZoomMeetingPlatform}: host {@code
 * personal:<providerId>} creates as {@code me} with the provider's user-level token (no practice
 * connection needed), meeting calls go to the personal account when the lookup says so, a 401
 * invalidates and retries with a new token, and a missing authorisation is {@link NotAuthorized}
 * naming the provider, not the practice connection.
 */
class ZoomPersonalAccountTest {

  static final String CLIENT_ID = "user-app-client";
  static final String CLIENT_SECRET = "user-app-secret";
  static final String EMAIL = "dr.chen@personal.example";
  static final String REDIRECT = "https://hub.example.com/oauth/zoom/callback";
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
  final UUID practiceId = UUID.randomUUID();
  final UUID providerId = UUID.randomUUID();
  final Map<String, UUID> personalMeetings = new ConcurrentHashMap<>();
  final AtomicReference<String> token = new AtomicReference<>();
  final AtomicReference<String> invalidated = new AtomicReference<>();
  final AtomicReference<String> afterInvalidate = new AtomicReference<>();
  ZoomFake fake;
  ZoomUserOAuth oauth;
  ZoomMeetingPlatform platform;
  String userId;

  @BeforeEach
  void start() {
    fake = ZoomFake.start(0, clock);
    fake.addAccount("hub-developer-account", CLIENT_ID, CLIENT_SECRET);
    fake.addAccount("personal", "unused-client", "unused-secret");
    userId = fake.addUser("personal", EMAIL);
    ZoomSettings settings =
        ZoomSettings.forHost(fake.baseUrl(), Duration.ofSeconds(2), Duration.ofSeconds(5));
    oauth =
        new ZoomUserOAuth(
            ZoomApi.httpClient(settings),
            settings,
            new ZoomUserApp(CLIENT_ID, CLIENT_SECRET, REDIRECT),
            clock);
    ZoomUserAccounts users =
        new ZoomUserAccounts() {
          @Override
          public Optional<String> accessToken(UUID practice, UUID provider) {
            return practice.equals(practiceId) && provider.equals(providerId)
                ? Optional.ofNullable(token.get())
                : Optional.empty();
          }

          @Override
          public void invalidate(UUID practice, UUID provider, String rejected) {
            invalidated.set(rejected);
            if (afterInvalidate.get() != null) {
              token.set(afterInvalidate.get());
            }
          }

          @Override
          public Optional<UUID> personalHostOf(UUID practice, String meetingId) {
            return Optional.ofNullable(personalMeetings.get(meetingId));
          }
        };
    platform =
        new ZoomMeetingPlatform(
            settings,
            ZoomResilience.defaults(),
            practice -> Optional.empty(), // no practice connection at all
            users,
            clock);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void aPersonalHostGetsTheMeetingOnTheirOwnAccountAsMe() {
    token.set(authorize().accessToken());
    MeetingSpec spec =
        new MeetingSpec(
            "sb-0123456789ab",
            "Telehealth session (sb-0123456789ab)",
            Instant.parse("2026-03-03T14:00:00Z"),
            Duration.ofMinutes(50),
            ZoneId.of("Europe/Paris"));

    PlatformMeeting made = platform.create(practiceId, "personal:" + providerId, spec);
    personalMeetings.put(made.meetingId(), providerId);

    assertThat(made.waitingRoom()).isTrue();
    assertThat(fake.meeting(Long.parseLong(made.meetingId())).orElseThrow().hostId())
        .isEqualTo(userId);
    assertThat(platform.findByReference(practiceId, "personal:" + providerId, "sb-0123456789ab"))
        .extracting(PlatformMeeting::meetingId)
        .containsExactly(made.meetingId());
    assertThat(platform.get(practiceId, made.meetingId()).meetingId()).isEqualTo(made.meetingId());
    platform.enforceWaitingRoom(practiceId, made.meetingId());
    assertThat(platform.delete(practiceId, made.meetingId())).isTrue();
  }

  @Test
  void aRejectedTokenIsInvalidatedAndTheCallRepeatedWithTheNextOne() {
    afterInvalidate.set(authorize().accessToken());
    token.set("expired-or-garbage");

    assertThat(platform.findByReference(practiceId, "personal:" + providerId, "sb-000000000000"))
        .isEmpty();

    assertThat(invalidated.get()).isEqualTo("expired-or-garbage");
  }

  @Test
  void withoutAnAuthorisationTheProviderIsAskedToAuthoriseAgain() {
    assertThatThrownBy(
            () -> platform.findByReference(practiceId, "personal:" + providerId, "sb-000000000000"))
        .isInstanceOf(NotAuthorized.class)
        .hasMessageContaining(ZoomMeetingPlatform.PERSONAL_REAUTHORIZATION)
        .hasMessageContaining(providerId.toString());
    // An ordinary host still needs the practice connection.
    assertThatThrownBy(() -> platform.findByReference(practiceId, EMAIL, "sb-000000000000"))
        .isInstanceOf(NotAuthorized.class)
        .hasMessageNotContaining(ZoomMeetingPlatform.PERSONAL_REAUTHORIZATION);
  }

  private ZoomUserGrant authorize() {
    return oauth.exchange(
        fake.issueAuthorizationCode(
            CLIENT_ID, REDIRECT, ZoomUserOAuthTest.challenge(VERIFIER), EMAIL),
        VERIFIER);
  }
}
