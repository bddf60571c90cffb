package org.sessionbridge.connector.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.sessionbridge.core.meeting.MeetingReference;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatformException;

/** The real TeamsMeetingPlatform against the in-process GraphFake. */
class GraphFakeMeetingsTest {

  private static final UUID PRACTICE = UUID.randomUUID();
  private static final String TENANT = "contoso-tenant";
  private static final MicrosoftCredentials CREDENTIALS =
      new MicrosoftCredentials(TENANT, "app-id", "app-secret");

  private MutableClock clock;
  private GraphFake graph;
  private String organizer;
  private TeamsMeetingPlatform teams;

  @BeforeEach
  void start() {
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    graph = GraphFake.start(0, clock);
    graph.addApp(TENANT, "app-id", "app-secret");
    organizer = graph.addUser(TENANT, "dr.weber@contoso.example");
    teams =
        new TeamsMeetingPlatform(
            MicrosoftSettings.at(graph.graphBaseUrl(), graph.baseUrl()),
            MicrosoftResilience.defaults(),
            practice -> Optional.of(CREDENTIALS),
            clock);
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  private static MeetingSpec spec(String reference, Instant start) {
    return new MeetingSpec(
        reference,
        MeetingReference.topic(reference),
        start,
        Duration.ofMinutes(50),
        ZoneId.of("America/New_York"));
  }

  @Test
  void createsAGuardedMeetingEvenThoughCreateOrGetKeepsTheTenantDefaults() {
    PlatformMeeting created =
        teams.create(
            PRACTICE, organizer, spec("sb-aaaaaaaaaaaa", Instant.parse("2026-03-02T14:00:00Z")));

    assertThat(created.guarded()).isTrue();
    assertThat(created.meetingId()).startsWith(organizer + "/");
    assertThat(graph.meetings())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.externalId()).isEqualTo("sb-aaaaaaaaaaaa");
              assertThat(m.lobbyScope()).isEqualTo("organizer");
              assertThat(m.dialInBypass()).isFalse();
              assertThat(m.allowedPresenters()).isEqualTo("organizer");
              assertThat(m.start()).isEqualTo(Instant.parse("2026-03-02T14:00:00Z"));
            });
    assertThat(graph.counts().meetingPatches()).isEqualTo(1);
  }

  @Test
  void aRepeatedOrLostCreateNeverMakesASecondMeeting() {
    MeetingSpec spec = spec("sb-bbbbbbbbbbbb", Instant.parse("2026-03-02T14:00:00Z"));
    graph.honourLobbyOnCreate(true);
    graph.dropNextResponse(); // Graph creates it, the answer is lost, the retry gets it back

    PlatformMeeting first = teams.create(PRACTICE, organizer, spec);
    PlatformMeeting again = teams.create(PRACTICE, organizer, spec);

    assertThat(again.meetingId()).isEqualTo(first.meetingId());
    assertThat(graph.meetings()).hasSize(1);
    assertThat(graph.counts().meetingCreates()).isEqualTo(1);
    assertThat(graph.journal())
        .filteredOn(c -> c.path().endsWith("/createOrGet"))
        .extracting(GraphFake.Call::status)
        .containsExactly(0, 200, 200);
  }

  @Test
  void anOpenedLobbyIsSeenAndEnforcedBack() {
    PlatformMeeting created =
        teams.create(
            PRACTICE, organizer, spec("sb-cccccccccccc", Instant.parse("2026-03-02T14:00:00Z")));
    String graphId = created.meetingId().substring(organizer.length() + 1);

    graph.organizerOpensLobby(graphId);
    assertThat(teams.get(PRACTICE, created.meetingId()).guarded()).isFalse();

    teams.enforceWaitingRoom(PRACTICE, created.meetingId());
    assertThat(teams.get(PRACTICE, created.meetingId()).guarded()).isTrue();
    assertThat(graph.meeting(graphId).orElseThrow().lobbyScope()).isEqualTo("organizer");
  }

  @Test
  void updateMovesTheMeetingAndDeleteIsTrueThenFalse() {
    PlatformMeeting created =
        teams.create(
            PRACTICE, organizer, spec("sb-dddddddddddd", Instant.parse("2026-03-02T14:00:00Z")));

    teams.update(
        PRACTICE,
        created.meetingId(),
        spec("sb-dddddddddddd", Instant.parse("2026-03-03T16:00:00Z")));
    PlatformMeeting moved = teams.get(PRACTICE, created.meetingId());

    assertThat(moved.start()).contains(Instant.parse("2026-03-03T16:00:00Z"));
    assertThat(moved.durationMinutes()).isEqualTo(50);
    assertThat(teams.delete(PRACTICE, created.meetingId())).isTrue();
    assertThat(teams.delete(PRACTICE, created.meetingId())).isFalse();
    assertThatThrownBy(() -> teams.get(PRACTICE, created.meetingId()))
        .isInstanceOf(MeetingPlatformException.MeetingGone.class);
  }

  @Test
  void anOrganizerWithoutAccessPolicyIsNotAuthorizedAndAnUnknownOneRejected() {
    graph.removeApplicationAccessPolicy(organizer);

    assertThatThrownBy(
            () ->
                teams.create(
                    PRACTICE,
                    organizer,
                    spec("sb-eeeeeeeeeeee", Instant.parse("2026-03-02T14:00:00Z"))))
        .isInstanceOf(MeetingPlatformException.NotAuthorized.class);
    assertThatThrownBy(
            () ->
                teams.create(
                    PRACTICE,
                    "nobody@contoso.example",
                    spec("sb-eeeeeeeeeeee", Instant.parse("2026-03-02T14:00:00Z"))))
        .isInstanceOf(MeetingPlatformException.Rejected.class)
        .hasMessageContaining("organizer");
  }

  @Test
  void aRotatedSecretIsNotAuthorizedOnceTheOldTokenIsGone() {
    teams.create(
        PRACTICE, organizer, spec("sb-ffffffffffff", Instant.parse("2026-03-02T14:00:00Z")));
    graph.rotateSecret(TENANT, "app-id", "new-secret");
    graph.revokeAccessTokens();

    assertThatThrownBy(
            () ->
                teams.create(
                    PRACTICE,
                    organizer,
                    spec("sb-ffffffffffff", Instant.parse("2026-03-02T14:00:00Z"))))
        .isInstanceOf(MeetingPlatformException.NotAuthorized.class)
        .hasMessageContaining("AADSTS7000215")
        .hasMessageNotContaining("app-secret");
  }

  @Test
  void injectedThrottlingIsWaitedInlineWhenShort() {
    graph.failNext(1, 429, "TooManyRequests", "Too many requests", Map.of("Retry-After", "1"));

    PlatformMeeting created =
        teams.create(
            PRACTICE, organizer, spec("sb-ababababab12", Instant.parse("2026-03-02T14:00:00Z")));

    assertThat(created.guarded()).isTrue();
    assertThat(graph.counts().injectedFaults()).isEqualTo(1);
  }
}
