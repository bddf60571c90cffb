package org.sessionbridge.routes.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.sessionbridge.routes.meeting.MeetingTestBed.FIFTY_MINUTES;
import static org.sessionbridge.routes.meeting.MeetingTestBed.LEASE;
import static org.sessionbridge.routes.meeting.MeetingTestBed.NINE;
import static org.sessionbridge.routes.meeting.MeetingTestBed.WEBER;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.meeting.MeetingAudit;
import org.sessionbridge.core.meeting.MeetingAudit.Action;
import org.sessionbridge.core.meeting.MeetingReference;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.meeting.MeetingWork.State;
import org.sessionbridge.core.meeting.MeetingWork.WaitingRoom;
import org.sessionbridge.core.port.MeetingPlatformException;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.routes.meeting.FakePlatform.Op;

/**
 * The meeting reconciler over the real stores (H2) and scripted fake platforms: appointment changes
 * go through the real outbox and planner, each pass is driven synchronously, and the fakes count
 * every meeting they ever made, so "exactly one meeting" is checked on the platform's side.
 */
class MeetingReconcilerTest {

  private static final VideoPlatform ZOOM = VideoPlatform.ZOOM;
  private static final VideoPlatform TEAMS = VideoPlatform.TEAMS;
  private static final Instant TEN = NINE.plus(Duration.ofHours(1));

  private MeetingTestBed bed;
  private FakePlatform zoom;
  private FakePlatform teams;
  private MeetingReconciler reconciler;

  @BeforeEach
  void setUp() throws Exception {
    bed = new MeetingTestBed();
    zoom = new FakePlatform(ZOOM);
    teams = new FakePlatform(TEAMS);
    reconciler = bed.reconciler("node-a", zoom, teams);
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  // --- the happy paths -----------------------------------------------------------------------

  @Test
  void aTelehealthBookingGetsOneMeetingWithTheWaitingRoomOn() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();

    drain();

    assertThat(zoom.meetings()).hasSize(1);
    FakePlatform.Meeting m = zoom.meetings().get(0);
    String reference = MeetingReference.of(id);
    assertThat(m.topic).isEqualTo(MeetingReference.topic(reference)).doesNotContain("Alice");
    assertThat(m.host).isEqualTo(WEBER);
    assertThat(m.start).isEqualTo(NINE);
    assertThat(m.minutes).isEqualTo(50);
    assertThat(m.guarded()).isTrue();
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(1);

    MeetingWork w = bed.row(id);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.syncedVersion()).isEqualTo(1);
    assertThat(w.meetingId()).isEqualTo(m.id);
    assertThat(w.meetingPlatform()).isEqualTo(ZOOM);
    assertThat(w.meetingHost()).isEqualTo(WEBER);
    assertThat(w.joinUrl()).isEqualTo(m.view().joinUrl().toString());
    assertThat(w.waitingRoom()).isEqualTo(WaitingRoom.ENFORCED);
    assertThat(w.createSentAt()).isNull();
    assertThat(w.attempts()).isZero();
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::platform, MeetingAudit::meetingId)
        .containsExactly(tuple(Action.CREATED, ZOOM, m.id));
    assertThat(bed.events.joinLinks).containsExactly(id);
    assertThat(reconciler.createCount()).isEqualTo(1);

    assertThat(drain()).as("nothing left to do").isZero();
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(1);
  }

  @Test
  void aRescheduleMovesTheMeeting() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    String meetingId = bed.row(id).meetingId();

    bed.book.change(bed.practiceId, id, moveTo(TEN), 1L);
    bed.plan();
    drain();

    assertThat(zoom.calls(Op.UPDATE)).isEqualTo(1);
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(1);
    assertThat(zoom.meetings()).singleElement().satisfies(m -> assertThat(m.start).isEqualTo(TEN));
    MeetingWork w = bed.row(id);
    assertThat(w.meetingId()).isEqualTo(meetingId);
    assertThat(w.syncedVersion()).isEqualTo(2);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::detail)
        .containsExactly(tuple(Action.CREATED, "version 1"), tuple(Action.UPDATED, "version 2"));
  }

  @Test
  void cancellingDeletesTheMeeting() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    String meetingId = bed.row(id).meetingId();

    bed.book.cancel(bed.practiceId, id, 1L);
    bed.plan();
    drain();

    assertThat(zoom.meetings()).isEmpty();
    assertThat(zoom.calls(Op.DELETE)).isEqualTo(1);
    MeetingWork w = bed.row(id);
    assertThat(w.wanted()).isFalse();
    assertThat(w.meetingId()).isNull();
    assertThat(w.joinUrl()).isNull();
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.syncedVersion()).isEqualTo(2);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::meetingId)
        .containsExactly(tuple(Action.CREATED, meetingId), tuple(Action.DELETED, meetingId));
    assertThat(bed.events.joinLinks).as("the link appeared, then went away").hasSize(2);
  }

  @Test
  void movingTheSessionInPersonDeletesTheMeeting() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();

    bed.book.change(
        bed.practiceId,
        id,
        new AppointmentPatch(null, null, null, Modality.IN_PERSON, null, null, null, null),
        1L);
    bed.plan();
    drain();

    assertThat(zoom.meetings()).isEmpty();
    assertThat(bed.row(id).wanted()).isFalse();
    assertThat(bed.actions(id)).containsExactly(Action.CREATED, Action.DELETED);
  }

  @Test
  void movingFromZoomToTeamsDeletesOnZoomAndCreatesOnTeams() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    String onZoom = bed.row(id).meetingId();
    bed.offer(bed.provider.id(), TEAMS);

    bed.book.change(
        bed.practiceId,
        id,
        new AppointmentPatch(null, null, null, null, TEAMS, null, null, null),
        1L);
    bed.plan();
    drain();

    assertThat(zoom.meetings()).isEmpty();
    assertThat(teams.meetings()).hasSize(1);
    String onTeams = teams.meetings().get(0).id;
    assertThat(teams.meetings().get(0).guarded()).isTrue();
    MeetingWork w = bed.row(id);
    assertThat(w.meetingPlatform()).isEqualTo(TEAMS);
    assertThat(w.meetingId()).isEqualTo(onTeams);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::platform, MeetingAudit::meetingId)
        .containsExactly(
            tuple(Action.CREATED, ZOOM, onZoom),
            tuple(Action.DELETED, ZOOM, onZoom),
            tuple(Action.CREATED, TEAMS, onTeams));
  }

  @Test
  void theProvidersHostAccountOverridesTheirEmail() {
    bed.practices.addVideoService(
        bed.practiceId, bed.provider.id(), ZOOM, null, null, true, "zoom-user-42");
    bed.practices.addVideoService(bed.practiceId, bed.provider.id(), TEAMS, null, null, false);
    UUID onZoom = bed.bookTelehealth(NINE, ZOOM);
    UUID onTeams = bed.bookTelehealth(TEN, TEAMS);
    bed.plan();

    drain();

    assertThat(zoom.meetings())
        .singleElement()
        .satisfies(m -> assertThat(m.host).isEqualTo("zoom-user-42"));
    assertThat(bed.row(onZoom).meetingHost()).isEqualTo("zoom-user-42");
    assertThat(teams.meetings())
        .singleElement()
        .satisfies(m -> assertThat(m.host).isEqualTo(WEBER));
    assertThat(bed.row(onTeams).meetingHost()).isEqualTo(WEBER);
  }

  @Test
  void aNewHostAccountMovesTheMeetingToIt() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    String before = bed.row(id).meetingId();
    // The provider's ZOOM service (added by the booking) now names their own Zoom user.
    bed.practices.useHostAccount(bed.practiceId, bed.provider.id(), ZOOM, "zoom-user-42");

    bed.store.requestCheck(id);
    drain();

    assertThat(zoom.meetings())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.host).isEqualTo("zoom-user-42");
              assertThat(m.id).isNotEqualTo(before);
            });
    assertThat(bed.actions(id)).containsExactly(Action.CREATED, Action.DELETED, Action.CREATED);
  }

  // --- lost answers --------------------------------------------------------------------------

  @Test
  void aCreateWhoseAnswerWasLostIsAdoptedOnTheNextPass() {
    zoom.loseNextCreateAnswers(1);
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();

    drain();

    MeetingWork lost = bed.row(id);
    assertThat(lost.state()).isEqualTo(State.PENDING);
    assertThat(lost.attempts()).isEqualTo(1);
    assertThat(lost.meetingId()).isNull();
    assertThat(lost.createSentAt()).as("the intent is kept").isNotNull();
    assertThat(lost.nextAttemptAt()).isAfter(bed.clock.instant());
    assertThat(zoom.meetings()).as("the meeting was made all the same").hasSize(1);

    later(Duration.ofMinutes(10));
    drain();

    assertThat(zoom.made()).as("no second create").isEqualTo(1);
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(1);
    String meetingId = zoom.meetings().get(0).id;
    MeetingWork w = bed.row(id);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.meetingId()).isEqualTo(meetingId);
    assertThat(w.createSentAt()).isNull();
    assertThat(w.waitingRoom()).isEqualTo(WaitingRoom.ENFORCED);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::meetingId)
        .containsExactly(tuple(Action.ADOPTED, meetingId));
    assertThat(bed.events.joinLinks).contains(id);
  }

  @Test
  void twoLostCreatesLeaveOneMeetingTheOldest() {
    zoom.loseNextCreateAnswers(2).missNextSearches(1);
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();

    drain(); // made zoom-1, answer lost
    later(Duration.ofMinutes(10));
    drain(); // the search lags: made zoom-2, answer lost again
    assertThat(zoom.meetings()).hasSize(2);
    assertThat(bed.row(id).attempts()).isEqualTo(2);
    later(Duration.ofMinutes(10));
    drain();

    assertThat(zoom.made()).isEqualTo(2);
    assertThat(zoom.meetings()).extracting(m -> m.id).containsExactly("zoom-1");
    MeetingWork w = bed.row(id);
    assertThat(w.meetingId()).isEqualTo("zoom-1");
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::meetingId)
        .containsExactly(tuple(Action.ADOPTED, "zoom-1"), tuple(Action.ORPHAN_DELETED, "zoom-2"));
  }

  @Test
  void anAdoptedMeetingIsMovedWhenTheSessionWasRescheduledMeanwhile() {
    zoom.loseNextCreateAnswers(1);
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain(); // made for NINE, answer lost

    bed.book.change(bed.practiceId, id, moveTo(TEN), 1L);
    bed.plan();
    later(Duration.ofMinutes(10));
    drain();

    assertThat(zoom.made()).isEqualTo(1);
    assertThat(zoom.meetings())
        .singleElement()
        .satisfies(m -> assertThat(m.start).as("the meeting follows version 2").isEqualTo(TEN));
    MeetingWork w = bed.row(id);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.syncedVersion()).isEqualTo(2);
    assertThat(bed.actions(id)).containsExactly(Action.ADOPTED, Action.UPDATED);
  }

  @Test
  void aCancelAfterALostCreateDeletesTheMeetingThatLandedAfterAll() {
    zoom.loseNextCreateAnswers(1);
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();

    bed.book.cancel(bed.practiceId, id, 1L);
    bed.plan();
    drain();

    assertThat(zoom.meetings()).isEmpty();
    MeetingWork w = bed.row(id);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.createSentAt()).isNull();
    assertThat(bed.actions(id)).containsExactly(Action.ORPHAN_DELETED);
  }

  @Test
  void aVersionPlannedWhileTheMeetingIsMadeIsNotLost() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    zoom.duringNextCreate(
        () -> {
          bed.book.change(bed.practiceId, id, moveTo(TEN), 1L);
          bed.plan();
        });

    drain();

    assertThat(zoom.made()).isEqualTo(1);
    assertThat(zoom.meetings())
        .singleElement()
        .satisfies(m -> assertThat(m.start).as("moved to version 2").isEqualTo(TEN));
    MeetingWork w = bed.row(id);
    assertThat(w.syncedVersion()).isEqualTo(2);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(bed.actions(id)).containsExactly(Action.CREATED, Action.UPDATED);
  }

  // --- drift made by the host ----------------------------------------------------------------

  @Test
  void aWaitingRoomTurnedOffByTheHostIsPutBackOnACheck() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    String meetingId = bed.row(id).meetingId();
    zoom.hostTurnsWaitingRoomOff(meetingId);

    assertThat(bed.store.requestCheck(id)).isTrue();
    drain();

    assertThat(zoom.meeting(meetingId).guarded()).isTrue();
    assertThat(zoom.calls(Op.ENFORCE)).isEqualTo(1);
    MeetingWork w = bed.row(id);
    assertThat(w.waitingRoom()).isEqualTo(WaitingRoom.ENFORCED);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.checkedSeq()).isEqualTo(1);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::detail)
        .containsExactly(
            tuple(Action.CREATED, "version 1"),
            tuple(Action.WAITING_ROOM_REPAIRED, "waiting room was off, join before host on"));
    assertThat(reconciler.repairCount()).isEqualTo(1);
  }

  @Test
  void aPlatformThatKeepsTheWaitingRoomOffIsAuditedAndRetried() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    zoom.keepWaitingRoomOff(true);
    zoom.hostTurnsWaitingRoomOff(bed.row(id).meetingId());

    bed.store.requestCheck(id);
    drain();

    MeetingWork w = bed.row(id);
    assertThat(w.waitingRoom()).isEqualTo(WaitingRoom.DRIFTED);
    assertThat(w.state()).isEqualTo(State.PENDING);
    assertThat(w.attempts()).isEqualTo(1);
    assertThat(w.lastError()).contains("kept the waiting room off");
    assertThat(bed.actions(id)).containsExactly(Action.CREATED, Action.WAITING_ROOM_REFUSED);

    zoom.keepWaitingRoomOff(false);
    later(Duration.ofMinutes(10));
    drain();
    assertThat(bed.row(id).waitingRoom()).isEqualTo(WaitingRoom.ENFORCED);
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(bed.actions(id)).endsWith(Action.WAITING_ROOM_REPAIRED);
  }

  @Test
  void aMeetingDeletedByTheHostIsMadeAgainOnACheck() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    String first = bed.row(id).meetingId();
    zoom.hostDeletes(first);
    bed.events.joinLinks.clear();

    bed.store.requestCheck(id);
    drain();

    assertThat(zoom.meetings()).hasSize(1);
    String second = zoom.meetings().get(0).id;
    assertThat(second).isNotEqualTo(first);
    MeetingWork w = bed.row(id);
    assertThat(w.meetingId()).isEqualTo(second);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::meetingId)
        .containsExactly(
            tuple(Action.CREATED, first),
            tuple(Action.MEETING_LOST, first),
            tuple(Action.CREATED, second));
    assertThat(bed.events.joinLinks).as("the new link").contains(id);
  }

  @Test
  void aMeetingMovedByTheHostIsPutBackOnACheck() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    String meetingId = bed.row(id).meetingId();
    zoom.hostMoves(meetingId, NINE.plus(Duration.ofMinutes(30)), Duration.ofMinutes(20));

    bed.store.requestCheck(id);
    drain();

    FakePlatform.Meeting m = zoom.meeting(meetingId);
    assertThat(m.start).isEqualTo(NINE);
    assertThat(m.minutes).isEqualTo(50);
    assertThat(zoom.calls(Op.UPDATE)).isEqualTo(1);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::detail)
        .containsExactly(
            tuple(Action.CREATED, "version 1"),
            tuple(Action.SCHEDULE_RESTORED, "changed on the platform"));
  }

  @Test
  void theSweepFindsDriftThatNoWebhookReported() {
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    zoom.hostTurnsWaitingRoomOff(bed.row(id).meetingId());
    WaitingRoomSweepRoute sweep =
        new WaitingRoomSweepRoute(
            bed.store,
            reconciler,
            List.of(ZOOM, TEAMS),
            Duration.ofMinutes(15),
            Duration.ofDays(30));

    assertThat(sweep.sweep()).isEqualTo(1);
    drain();

    assertThat(bed.actions(id)).containsExactly(Action.CREATED, Action.WAITING_ROOM_REPAIRED);
    assertThat(zoom.meetings().get(0).guarded()).isTrue();
  }

  // --- failures ------------------------------------------------------------------------------

  @Test
  void aRefusedConnectionParksTheRowUntilThePracticeReconnects() {
    zoom.failNext(Op.CREATE, new MeetingPlatformException.NotAuthorized("create: 401 (124)", null));
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();

    drain();

    MeetingWork parked = bed.row(id);
    assertThat(parked.state()).isEqualTo(State.PARKED);
    assertThat(parked.lastError()).isEqualTo("create: 401 (124)");
    assertThat(bed.events.refusals).containsExactly(bed.practiceId + " ZOOM: create: 401 (124)");
    assertThat(zoom.meetings()).isEmpty();
    later(Duration.ofDays(30));
    assertThat(drain()).as("parked rows are not retried").isZero();

    assertThat(bed.store.resume(bed.practiceId, ZOOM)).isEqualTo(1);
    drain();

    assertThat(zoom.meetings()).hasSize(1);
    MeetingWork w = bed.row(id);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.attempts()).isZero();
    assertThat(w.meetingId()).isEqualTo(zoom.meetings().get(0).id);
  }

  @Test
  void oneRefusalParksThePracticesOtherWaitingRowsWithoutCallingAgain() {
    zoom.failNext(Op.CREATE, new MeetingPlatformException.NotAuthorized("create: 401 (124)", null));
    UUID first = bed.bookTelehealth(NINE, ZOOM);
    UUID second = bed.bookTelehealth(NINE.plus(Duration.ofHours(1)), ZOOM);
    UUID third = bed.bookTelehealth(NINE.plus(Duration.ofHours(2)), ZOOM);
    bed.plan();

    List<MeetingWork> one = bed.store.claimDue(1, reconciler.worker(), Duration.ofMinutes(2));
    assertThat(one).hasSize(1);
    reconciler.reconcile(one.get(0));

    for (UUID id : List.of(first, second, third)) {
      assertThat(bed.row(id).state()).as("row %s", id).isEqualTo(State.PARKED);
    }
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(1);
    assertThat(drain()).isZero();

    assertThat(bed.store.resume(bed.practiceId, ZOOM)).isEqualTo(3);
    drain();
    assertThat(zoom.meetings()).hasSize(3);
  }

  @Test
  void aRefusedPersonalAuthorizationParksOnlyItsRowAndLeavesThePracticeConnectionAlone() {
    zoom.failNext(
        Op.CREATE,
        new MeetingPlatformException.NotAuthorized(
            "create: refresh refused", "personal:provider-1", null));
    UUID first = bed.bookTelehealth(NINE, ZOOM);
    UUID second = bed.bookTelehealth(NINE.plus(Duration.ofHours(1)), ZOOM);
    bed.plan();

    List<MeetingWork> one = bed.store.claimDue(1, reconciler.worker(), Duration.ofMinutes(2));
    reconciler.reconcile(one.get(0));

    UUID refused = one.get(0).appointmentId();
    UUID other = refused.equals(first) ? second : first;
    assertThat(bed.row(refused).state()).isEqualTo(State.PARKED);
    assertThat(bed.row(other).state()).isEqualTo(State.PENDING);
    assertThat(bed.events.refusals).as("the practice connection is not marked").isEmpty();
    drain();
    assertThat(bed.row(other).state()).isEqualTo(State.SYNCED);
  }

  @Test
  void aPlatformWithoutAConnectorParksTheRow() {
    MeetingReconciler zoomOnly = bed.reconciler("node-z", zoom);
    UUID id = bed.bookTelehealth(NINE, TEAMS);
    bed.plan();

    bed.drain(zoomOnly);

    assertThat(bed.row(id).state()).isEqualTo(State.PARKED);
    assertThat(bed.events.refusals).singleElement().asString().contains("no connector for TEAMS");
  }

  @Test
  void aRejectedRequestFailsTheRowForAPerson() {
    zoom.failNext(
        Op.CREATE,
        new MeetingPlatformException.Rejected("create: 404 (1001) user not found", null));
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();

    drain();

    MeetingWork w = bed.row(id);
    assertThat(w.state()).isEqualTo(State.FAILED);
    assertThat(w.attempts()).isEqualTo(1);
    assertThat(w.lastError()).contains("user not found");
    assertThat(reconciler.failureCount()).isEqualTo(1);
    later(Duration.ofDays(30));
    assertThat(drain()).isZero();
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(1);
  }

  @Test
  void aProviderWithoutEmailOrHostAccountFailsTheRow() {
    UUID noEmail =
        bed.practices
            .createStaff(
                bed.practiceId,
                "Dr. Ohne",
                "ohne@example.org",
                MeetingTestBed.BERLIN,
                StaffRole.PROVIDER,
                true)
            .id();
    bed.jdbc.sql("update staff set email = '' where id = :id").param("id", noEmail).update();
    UUID id = bed.bookTelehealth(noEmail, NINE, ZOOM);
    bed.plan();

    drain();

    assertThat(bed.row(id).state()).isEqualTo(State.FAILED);
    assertThat(bed.row(id).lastError()).contains("hostAccount");
    assertThat(zoom.calls(Op.CREATE)).isZero();
  }

  @Test
  void theLocalDailyBudgetDefersTheRestToMidnightWithoutCallingThePlatform() {
    zoom = new FakePlatform(ZOOM, OptionalInt.of(2));
    reconciler = bed.reconciler("node-a", zoom, teams);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(bed.bookTelehealth(NINE.plus(Duration.ofHours(i)), ZOOM));
    }
    bed.plan();
    Instant midnight = bed.nextUtcMidnight();

    drain();

    assertThat(zoom.calls(Op.CREATE)).as("no call beyond the budget").isEqualTo(2);
    assertThat(zoom.meetings()).hasSize(2);
    assertThat(bed.store.budgetUsed(ZOOM, WEBER)).isEqualTo(2);
    List<MeetingWork> deferred =
        ids.stream().map(bed::row).filter(w -> w.state() == State.DEFERRED).toList();
    assertThat(deferred)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.nextAttemptAt()).isEqualTo(midnight);
              assertThat(w.attempts()).as("nobody's failure").isZero();
              assertThat(w.createSentAt()).isNull();
            });
    later(Duration.between(bed.clock.instant(), midnight).minusSeconds(1));
    assertThat(drain()).isZero();

    later(Duration.ofSeconds(1));
    drain();

    assertThat(zoom.meetings()).hasSize(3);
    assertThat(ids).allSatisfy(id -> assertThat(bed.row(id).state()).isEqualTo(State.SYNCED));
    assertThat(bed.store.budgetUsed(ZOOM, WEBER)).isEqualTo(1);
  }

  @Test
  void aBudgetSpentOnThePlatformDefersAndStopsFurtherCallsForTheHost() {
    zoom = new FakePlatform(ZOOM, OptionalInt.of(100));
    reconciler = bed.reconciler("node-a", zoom, teams);
    Instant midnight = bed.nextUtcMidnight();
    zoom.failNext(
        Op.CREATE,
        new MeetingPlatformException.BudgetExhausted("create: 429 daily limit", midnight, null));
    UUID first = bed.bookTelehealth(NINE, ZOOM);
    UUID second = bed.bookTelehealth(TEN, ZOOM);
    bed.plan();

    drain();

    assertThat(zoom.calls(Op.CREATE)).as("the second row is not sent").isEqualTo(1);
    assertThat(zoom.meetings()).isEmpty();
    assertThat(bed.store.budgetUsed(ZOOM, WEBER)).isEqualTo(100);
    for (UUID id : List.of(first, second)) {
      MeetingWork w = bed.row(id);
      assertThat(w.state()).isEqualTo(State.DEFERRED);
      assertThat(w.nextAttemptAt()).isEqualTo(midnight);
      assertThat(w.attempts()).isZero();
    }

    later(Duration.between(bed.clock.instant(), midnight));
    drain();

    assertThat(zoom.meetings()).hasSize(2);
    assertThat(zoom.made()).isEqualTo(2);
  }

  @Test
  void aRetryAfterIsHonoured() {
    zoom.failNext(
        Op.CREATE,
        new MeetingPlatformException.Retryable("create: 429", Duration.ofMinutes(10), null));
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    Instant now = bed.clock.instant();

    drain();

    MeetingWork w = bed.row(id);
    assertThat(w.state()).as("a long wait is deferred").isEqualTo(State.DEFERRED);
    assertThat(w.nextAttemptAt()).isAfterOrEqualTo(now.plus(Duration.ofMinutes(10)));
    assertThat(w.attempts()).isEqualTo(1);
    assertThat(w.lastError()).isEqualTo("create: 429");
    later(Duration.ofMinutes(10).minusSeconds(1));
    assertThat(drain()).isZero();

    later(Duration.ofMinutes(5));
    drain();
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(2);
    assertThat(zoom.meetings()).hasSize(1);
  }

  @Test
  void aShortRetryAfterStaysPendingAndWaitsAtLeastThatLong() {
    zoom.failNext(
        Op.GET, new MeetingPlatformException.Retryable("get: 503", Duration.ofSeconds(30), null));
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    Instant now = bed.clock.instant();

    drain();

    MeetingWork w = bed.row(id);
    assertThat(w.state()).isEqualTo(State.PENDING);
    assertThat(w.nextAttemptAt()).isAfterOrEqualTo(now.plusSeconds(30));
    assertThat(w.meetingId()).as("the create was stored before the read-back failed").isNotNull();
    later(Duration.ofMinutes(1));
    drain();
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(zoom.made()).isEqualTo(1);
  }

  // --- leases --------------------------------------------------------------------------------

  @Test
  void aWorkerThatLostItsLeaseMidCreateChangesNothingAndTheReaperDeletesItsMeeting() {
    MeetingReconciler thief = bed.reconciler("node-b", zoom, teams);
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    List<MeetingWork> stolen = new ArrayList<>();
    zoom.duringNextCreate(
        () -> {
          // node-a stalls inside the create past its lease; node-b takes the row and works it.
          bed.expireLease(id);
          stolen.addAll(bed.store.claimDue(10, "node-b", LEASE));
          stolen.forEach(thief::reconcile);
        });

    drain();

    assertThat(stolen).hasSize(1);
    assertThat(zoom.meetings()).as("node-b's, then node-a's late one").hasSize(2);
    String kept = zoom.meetings().get(0).id;
    String late = zoom.meetings().get(1).id;
    MeetingWork w = bed.row(id);
    assertThat(w.meetingId()).isEqualTo(kept);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.attempts()).as("node-a wrote nothing").isZero();
    assertThat(bed.actions(id)).containsExactly(Action.CREATED);

    assertThat(reconciler.reapOrphans(bed.practiceId, ZOOM, WEBER)).isEqualTo(1);

    assertThat(zoom.meetings()).extracting(m -> m.id).containsExactly(kept);
    assertThat(bed.audits(id))
        .extracting(MeetingAudit::action, MeetingAudit::meetingId)
        .containsExactly(tuple(Action.CREATED, kept), tuple(Action.ORPHAN_DELETED, late));
    assertThat(reconciler.reapOrphans(bed.practiceId, ZOOM, WEBER)).isZero();
  }

  @Test
  void theWorkerThatTookTheLeaseAdoptsTheMeetingOfTheOneThatLostIt() {
    MeetingReconciler thief = bed.reconciler("node-b", zoom, teams);
    UUID id = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    List<MeetingWork> stolen = new ArrayList<>();
    zoom.duringNextCreate(
        () -> {
          bed.expireLease(id);
          stolen.addAll(bed.store.claimDue(10, "node-b", LEASE));
        });

    drain();
    assertThat(bed.row(id).meetingId()).as("node-a's answer was refused").isNull();
    stolen.forEach(thief::reconcile);

    assertThat(zoom.made()).isEqualTo(1);
    MeetingWork w = bed.row(id);
    assertThat(w.meetingId()).isEqualTo(zoom.meetings().get(0).id);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(bed.actions(id)).containsExactly(Action.ADOPTED);
    assertThat(reconciler.reapOrphans(bed.practiceId, ZOOM, WEBER)).isZero();
  }

  @Test
  void theReaperLeavesRecordedInFlightAndForeignMeetingsAlone() {
    UUID synced = bed.bookTelehealth(NINE, ZOOM);
    bed.plan();
    drain();
    zoom.loseNextCreateAnswers(1);
    UUID inFlight = bed.bookTelehealth(TEN, ZOOM);
    bed.plan();
    drain();
    UUID elsewhere =
        bed.practices.createPractice("Elsewhere", MeetingTestBed.BERLIN).practice().id();
    zoom.hostCreates(
        elsewhere, WEBER, bed.row(synced).spec()); // carries our reference, not our practice
    zoom.hostCreates(
        bed.practiceId,
        WEBER,
        new org.sessionbridge.core.meeting.MeetingSpec(
            "sb-0123456789ab",
            MeetingReference.topic("sb-0123456789ab"),
            NINE,
            FIFTY_MINUTES,
            MeetingTestBed.BERLIN)); // a reference no row of ours has

    assertThat(reconciler.reapOrphans(bed.practiceId, ZOOM, WEBER)).isZero();

    assertThat(zoom.meetings()).hasSize(4);
    assertThat(bed.row(inFlight).createSentAt()).isNotNull();
  }

  // --- helpers -------------------------------------------------------------------------------

  private int drain() {
    return bed.drain(reconciler);
  }

  private void later(Duration by) {
    bed.clock.advance(by);
  }

  private static AppointmentPatch moveTo(Instant start) {
    return new AppointmentPatch(start, null, null, null, null, null, null, null);
  }
}
