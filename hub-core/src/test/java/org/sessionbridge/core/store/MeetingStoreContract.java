package org.sessionbridge.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.meeting.MeetingAudit;
import org.sessionbridge.core.meeting.MeetingReference;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.meeting.MeetingWork.State;
import org.sessionbridge.core.meeting.MeetingWork.WaitingRoom;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the meeting store promises, whatever the database: plans from appointment versions, leases
 * that hand a row to one worker at a time, writes fenced by the lease, checks and sweeps, the
 * per-host daily budget, webhook receipts and the audit. Each engine's test supplies an empty
 * database per test; the contract migrates it with the real Flyway scripts.
 */
abstract class MeetingStoreContract {

  static final Instant T0 = Instant.parse("2030-03-04T08:00:00Z");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Instant NINE = Instant.parse("2030-03-11T09:00:00Z");
  static final Duration FIFTY_MINUTES = Duration.ofMinutes(50);
  static final Duration LEASE = Duration.ofMinutes(2);
  static final Set<VideoPlatform> MANAGED = Set.of(VideoPlatform.ZOOM, VideoPlatform.TEAMS);

  final MutableClock clock = new MutableClock(T0);
  DataSource dataSource;
  JdbcClient jdbc;
  PracticeStore practices;
  OutboxStore outbox;
  AppointmentBook book;
  MeetingStore meetings;

  Practice practice;
  Staff provider;
  Client alice;

  /** A new, empty database that no other test uses. */
  protected abstract DataSource newDatabase();

  @BeforeEach
  void migrateAndCreateAPractice() {
    dataSource = newDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    practices = new PracticeStore(jdbc, tx, clock);
    outbox = new OutboxStore(jdbc, tx, clock);
    book = new AppointmentBook(jdbc, tx, practices, outbox, clock);
    meetings = new MeetingStore(jdbc, clock);

    practice = practices.createPractice("Lindenhof Praxis", BERLIN).practice();
    provider =
        practices.createStaff(
            practice.id(), "Dr. Weber", "weber@example.org", BERLIN, StaffRole.PROVIDER, true);
    alice =
        practices.createClient(
            practice.id(),
            "Alice",
            "alice@example.org",
            null); // Telehealth bookings must name a video service the provider offers (issue #7).
    practices.addVideoService(practice.id(), provider.id(), VideoPlatform.ZOOM, null, null, false);
    practices.addVideoService(practice.id(), provider.id(), VideoPlatform.TEAMS, null, null, false);
  }

  // --- planning ------------------------------------------------------------------------------

  @Test
  void plansAMeetingForABookedTelehealthSessionOnAManagedPlatform() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    AppointmentChange v1 = onlyChange();

    assertThat(meetings.plan(v1, MANAGED)).isTrue();

    MeetingWork w = row(id);
    assertThat(w.practiceId()).isEqualTo(practice.id());
    assertThat(w.reference()).isEqualTo(MeetingReference.of(id)).matches("sb-[0-9a-f]{12}");
    assertThat(w.wanted()).isTrue();
    assertThat(w.wantedVersion()).isEqualTo(1);
    assertThat(w.platform()).isEqualTo(VideoPlatform.ZOOM);
    assertThat(w.providerId()).isEqualTo(provider.id());
    assertThat(w.start()).isEqualTo(NINE);
    assertThat(w.end()).isEqualTo(NINE.plus(FIFTY_MINUTES));
    assertThat(w.timeZone()).isEqualTo(BERLIN);
    assertThat(w.meetingId()).isNull();
    assertThat(w.meetingPlatform()).isNull();
    assertThat(w.createSentAt()).isNull();
    assertThat(w.waitingRoom()).isEqualTo(WaitingRoom.PENDING);
    assertThat(w.syncedVersion()).isZero();
    assertThat(w.state()).isEqualTo(State.PENDING);
    assertThat(w.attempts()).isZero();
    assertThat(w.nextAttemptAt()).isEqualTo(T0);
    assertThat(w.spec().topic()).contains(w.reference());
    assertThat(w.spec().durationMinutes()).isEqualTo(50);
  }

  @Test
  void plansNothingForSessionsThatNeverNeedAHubManagedMeeting() {
    practices.addVideoService(
        practice.id(), provider.id(), VideoPlatform.DOXY, "https://doxy.me/weber", null, true);
    UUID inPerson =
        book.book(practice.id(), request(NINE, Modality.IN_PERSON, null), null).appointment().id();
    UUID doxy = bookTelehealth(NINE.plusSeconds(3600), VideoPlatform.DOXY);
    UUID zoomNotManaged = bookTelehealth(NINE.plusSeconds(7200), VideoPlatform.ZOOM);

    for (AppointmentChange change : changes()) {
      Set<VideoPlatform> managed =
          change.appointmentId().equals(zoomNotManaged) ? Set.of(VideoPlatform.TEAMS) : MANAGED;
      assertThat(meetings.plan(change, managed)).as("plan %s", change).isFalse();
    }

    assertThat(meetings.work(inPerson)).isEmpty();
    assertThat(meetings.work(doxy)).isEmpty();
    assertThat(meetings.work(zoomNotManaged)).isEmpty();
    assertThat(count("meeting")).isZero();
  }

  @Test
  void aNewerVersionUpdatesTheRowAndReplayedOlderOrEqualVersionsAreIgnored() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    AppointmentChange v1 = onlyChange();
    meetings.plan(v1, MANAGED);
    Instant ten = NINE.plusSeconds(3600);
    book.change(practice.id(), id, moveTo(ten), 1L);
    AppointmentChange v2 = onlyChange();
    clock.advance(Duration.ofMinutes(1));

    assertThat(meetings.plan(v2, MANAGED)).isTrue();
    MeetingWork afterV2 = row(id);
    assertThat(afterV2.wantedVersion()).isEqualTo(2);
    assertThat(afterV2.start()).isEqualTo(ten);
    assertThat(afterV2.end()).isEqualTo(ten.plus(FIFTY_MINUTES));
    assertThat(afterV2.nextAttemptAt()).isEqualTo(clock.instant());

    clock.advance(Duration.ofMinutes(1));
    assertThat(meetings.plan(v2, MANAGED)).as("the same version again").isFalse();
    assertThat(meetings.plan(v1, MANAGED)).as("an older version").isFalse();
    assertThat(row(id)).isEqualTo(afterV2);
  }

  @Test
  void cancellingOrMovingInPersonUnwantsTheMeetingButKeepsTheRow() {
    UUID cancelled = bookTelehealth(NINE, VideoPlatform.ZOOM);
    UUID movedInPerson = bookTelehealth(NINE.plusSeconds(3600), VideoPlatform.TEAMS);
    planAll();
    claimAndSync(cancelled, "m-1");

    book.cancel(practice.id(), cancelled, 1L);
    book.change(
        practice.id(),
        movedInPerson,
        new AppointmentPatch(null, null, null, Modality.IN_PERSON, null, null, null, null),
        1L);
    planAll();

    MeetingWork c = row(cancelled);
    assertThat(c.wanted()).isFalse();
    assertThat(c.wantedVersion()).isEqualTo(2);
    assertThat(c.platform()).as("the platform the meeting was on is kept").isEqualTo(ZOOM);
    assertThat(c.meetingId()).as("still exists until the route deletes it").isEqualTo("m-1");
    assertThat(c.state()).isEqualTo(State.PENDING);
    MeetingWork m = row(movedInPerson);
    assertThat(m.wanted()).isFalse();
    assertThat(m.platform()).isEqualTo(VideoPlatform.TEAMS);
    assertThat(meetings.claimDue(10, "w1", LEASE))
        .extracting(MeetingWork::appointmentId)
        .containsExactlyInAnyOrder(cancelled, movedInPerson);
  }

  @Test
  void aNewVersionMovesToAnotherPlatformAndKeepsAParkedRowParked() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimOne("w1");
    meetings.fail(id, "w1", State.PARKED, T0.plus(Duration.ofDays(3650)), "revoked", true);

    book.change(
        practice.id(),
        id,
        new AppointmentPatch(null, null, null, null, VideoPlatform.TEAMS, null, null, null),
        1L);
    planAll();

    MeetingWork w = row(id);
    assertThat(w.platform()).isEqualTo(VideoPlatform.TEAMS);
    assertThat(w.wantedVersion()).isEqualTo(2);
    assertThat(w.state()).as("a new version does not unpark").isEqualTo(State.PARKED);
    assertThat(meetings.claimDue(10, "w1", LEASE)).isEmpty();
  }

  // --- leases --------------------------------------------------------------------------------

  @Test
  void claimLeasesARowToOneWorkerUntilTheLeaseRunsOut() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();

    assertThat(meetings.claimDue(10, "w1", LEASE))
        .singleElement()
        .extracting(MeetingWork::appointmentId)
        .isEqualTo(id);
    assertThat(meetings.claimDue(10, "w2", LEASE)).as("leased to w1").isEmpty();
    assertThat(meetings.claimDue(10, "w1", LEASE)).as("not twice to w1 either").isEmpty();

    clock.advance(LEASE);
    assertThat(meetings.claimDue(10, "w2", LEASE)).as("the lease ends at, not before").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(meetings.claimDue(10, "w2", LEASE)).hasSize(1);

    assertThat(meetings.recordWaitingRoom(id, "w1", WaitingRoom.DRIFTED))
        .as("the old holder's write is refused")
        .isFalse();
    assertThat(meetings.recordWaitingRoom(id, "w2", WaitingRoom.DRIFTED)).isTrue();
    assertThat(row(id).waitingRoom()).isEqualTo(WaitingRoom.DRIFTED);
  }

  @Test
  void claimTakesOnlyDueRowsUpToTheLimitOldestFirst() {
    UUID first = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    clock.advance(Duration.ofSeconds(1));
    UUID second = bookTelehealth(NINE.plusSeconds(3600), VideoPlatform.ZOOM);
    planAll();
    clock.advance(Duration.ofSeconds(1));
    UUID third = bookTelehealth(NINE.plusSeconds(7200), VideoPlatform.ZOOM);
    planAll();

    assertThat(meetings.claimDue(2, "w1", LEASE))
        .extracting(MeetingWork::appointmentId)
        .containsExactly(first, second);
    meetings.fail(third, "w1", State.PENDING, clock.instant(), "not mine", true);
    assertThat(row(third).attempts()).as("not leased by w1: refused").isZero();
    assertThat(meetings.claimDue(2, "w2", LEASE))
        .extracting(MeetingWork::appointmentId)
        .containsExactly(third);
  }

  @Test
  void twoWorkersRacingForRowsGetEachRowExactlyOnce() throws Exception {
    int rows = 40;
    Set<UUID> booked = new HashSet<>();
    for (int i = 0; i < rows; i++) {
      booked.add(bookTelehealth(NINE.plus(Duration.ofHours(i)), VideoPlatform.ZOOM));
    }
    planAll();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<UUID>>> claims = new ArrayList<>();
      for (String worker : List.of("w1", "w2")) {
        claims.add(
            threads.submit(
                () -> {
                  start.await();
                  List<UUID> mine = new ArrayList<>();
                  while (true) {
                    List<MeetingWork> batch = meetings.claimDue(3, worker, LEASE);
                    if (batch.isEmpty()) {
                      return mine;
                    }
                    batch.forEach(w -> mine.add(w.appointmentId()));
                  }
                }));
      }
      start.countDown();
      List<UUID> all = new ArrayList<>();
      for (Future<List<UUID>> claim : claims) {
        all.addAll(claim.get(60, TimeUnit.SECONDS));
      }

      assertThat(all).as("every row, each once").hasSize(rows).doesNotHaveDuplicates();
      assertThat(new HashSet<>(all)).isEqualTo(booked);
      for (UUID id : booked) {
        String owner =
            jdbc.sql("select lease_owner from meeting where appointment_id = :id")
                .param("id", id)
                .query(String.class)
                .single();
        boolean claimedByW1 = claims.get(0).get().contains(id);
        assertThat(owner).isEqualTo(claimedByW1 ? "w1" : "w2");
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void everyWorkerWriteIsRefusedWithoutTheLease() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimOne("w1");
    MeetingWork before = row(id);
    PlatformMeeting m = meeting("m-9", true);

    assertThat(meetings.recordCreateSent(id, "intruder", VideoPlatform.ZOOM, "h")).isFalse();
    assertThat(meetings.recordMeeting(id, "intruder", VideoPlatform.ZOOM, "h", m)).isFalse();
    assertThat(meetings.clearMeeting(id, "intruder")).isFalse();
    assertThat(meetings.recordWaitingRoom(id, "intruder", WaitingRoom.ENFORCED)).isFalse();
    assertThat(meetings.finish(id, "intruder", 1, 0)).isFalse();
    assertThat(meetings.fail(id, "intruder", State.FAILED, T0, "no", true)).isFalse();

    assertThat(row(id)).isEqualTo(before);
    assertThat(meetings.finish(id, "w1", 1, 0)).isTrue();
    assertThat(meetings.recordWaitingRoom(id, "w1", WaitingRoom.ENFORCED))
        .as("a finished pass holds no lease any more")
        .isFalse();
  }

  // --- recording a pass ----------------------------------------------------------------------

  @Test
  void recordsTheIntentThenTheMeetingThenClearsIt() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimOne("w1");
    clock.advance(Duration.ofSeconds(5));

    assertThat(meetings.recordCreateSent(id, "w1", VideoPlatform.ZOOM, "weber@example.org"))
        .isTrue();
    MeetingWork sent = row(id);
    assertThat(sent.createSentAt()).isEqualTo(clock.instant());
    assertThat(sent.meetingPlatform()).isEqualTo(VideoPlatform.ZOOM);
    assertThat(sent.meetingHost()).isEqualTo("weber@example.org");
    assertThat(sent.meetingId()).isNull();

    assertThat(
            meetings.recordMeeting(
                id, "w1", VideoPlatform.ZOOM, "weber@example.org", meeting("m-1", false)))
        .isTrue();
    MeetingWork made = row(id);
    assertThat(made.createSentAt()).isNull();
    assertThat(made.meetingId()).isEqualTo("m-1");
    assertThat(made.joinUrl()).isEqualTo("https://zoom.example/j/m-1");
    assertThat(made.waitingRoom()).as("read back unguarded").isEqualTo(WaitingRoom.DRIFTED);

    assertThat(
            meetings.recordMeeting(
                id, "w1", VideoPlatform.ZOOM, "weber@example.org", meeting("m-1", true)))
        .isTrue();
    assertThat(row(id).waitingRoom()).isEqualTo(WaitingRoom.ENFORCED);

    assertThat(meetings.clearMeeting(id, "w1")).isTrue();
    MeetingWork cleared = row(id);
    assertThat(cleared.meetingId()).isNull();
    assertThat(cleared.meetingPlatform()).isNull();
    assertThat(cleared.meetingHost()).isNull();
    assertThat(cleared.joinUrl()).isNull();
    assertThat(cleared.waitingRoom()).isEqualTo(WaitingRoom.PENDING);
  }

  @Test
  void finishSyncsTheRowAndReleasesTheLease() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimOne("w1");
    meetings.fail(id, "w1", State.PENDING, clock.instant(), "503", true);
    claimOne("w1");
    meetings.recordMeeting(id, "w1", VideoPlatform.ZOOM, "h", meeting("m-1", true));

    assertThat(meetings.finish(id, "w1", 1, 0)).isTrue();

    MeetingWork w = row(id);
    assertThat(w.state()).isEqualTo(State.SYNCED);
    assertThat(w.syncedVersion()).isEqualTo(1);
    assertThat(w.attempts()).isZero();
    assertThat(w.lastError()).isNull();
    assertThat(leaseOwner(id)).isNull();
    clock.advance(Duration.ofHours(1));
    assertThat(meetings.claimDue(10, "w2", LEASE)).as("nothing to do").isEmpty();
  }

  @Test
  void finishLeavesTheRowDueWhenANewerVersionArrivedDuringThePass() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    MeetingWork claimed = claimOne("w1");
    book.change(practice.id(), id, moveTo(NINE.plusSeconds(3600)), 1L);
    planAll();

    assertThat(meetings.finish(id, "w1", claimed.wantedVersion(), claimed.checkSeq())).isTrue();

    MeetingWork w = row(id);
    assertThat(w.state()).isEqualTo(State.PENDING);
    assertThat(w.syncedVersion()).isEqualTo(1);
    assertThat(w.wantedVersion()).isEqualTo(2);
    assertThat(meetings.claimDue(10, "w2", LEASE)).as("due at once").hasSize(1);
  }

  @Test
  void finishLeavesTheRowDueWhenACheckArrivedDuringThePass() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    MeetingWork claimed = claimOne("w1");

    assertThat(meetings.requestCheck(id)).isTrue();
    assertThat(row(id).state()).as("a leased row stays as it is").isEqualTo(State.PENDING);
    assertThat(meetings.finish(id, "w1", claimed.wantedVersion(), claimed.checkSeq())).isTrue();

    MeetingWork w = row(id);
    assertThat(w.state()).isEqualTo(State.PENDING);
    assertThat(w.checkSeq()).isEqualTo(1);
    assertThat(w.checkedSeq()).isZero();
    MeetingWork again = claimOne("w2");
    assertThat(meetings.finish(id, "w2", again.wantedVersion(), again.checkSeq())).isTrue();
    assertThat(row(id).state()).isEqualTo(State.SYNCED);
    assertThat(row(id).checkedSeq()).isEqualTo(1);
  }

  @Test
  void aCheckMakesASyncedRowDueNow() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimAndSync(id, "m-1");
    clock.advance(Duration.ofMinutes(10));

    assertThat(meetings.requestCheck(id)).isTrue();

    MeetingWork w = row(id);
    assertThat(w.state()).isEqualTo(State.PENDING);
    assertThat(w.checkSeq()).isEqualTo(1);
    assertThat(w.nextAttemptAt()).isEqualTo(clock.instant());
    assertThat(meetings.claimDue(10, "w1", LEASE)).hasSize(1);
    assertThat(meetings.requestCheck(UUID.randomUUID())).isFalse();
  }

  @Test
  void aCheckDoesNotWakeARowThatWaitsForItsRetry() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimOne("w1");
    Instant retryAt = T0.plus(Duration.ofHours(2));
    meetings.fail(id, "w1", State.DEFERRED, retryAt, "budget", false);

    assertThat(meetings.requestCheck(id)).isTrue();

    MeetingWork w = row(id);
    assertThat(w.state()).isEqualTo(State.DEFERRED);
    assertThat(w.nextAttemptAt()).isEqualTo(retryAt);
    assertThat(w.checkSeq()).isEqualTo(1);
  }

  @Test
  void theSweepAsksOnlyForSyncedUpcomingMeetingsWithinTheHorizon() {
    Duration horizon = Duration.ofDays(14);
    UUID upcoming = bookTelehealth(NINE, VideoPlatform.ZOOM);
    UUID running = bookTelehealth(T0.minus(Duration.ofMinutes(10)), VideoPlatform.ZOOM);
    UUID ended = bookTelehealth(T0.minus(Duration.ofHours(2)), VideoPlatform.ZOOM);
    UUID beyond = bookTelehealth(T0.plus(horizon).plusSeconds(60), VideoPlatform.ZOOM);
    UUID noMeeting = bookTelehealth(NINE.plusSeconds(3600), VideoPlatform.ZOOM);
    UUID notSynced = bookTelehealth(NINE.plusSeconds(7200), VideoPlatform.ZOOM);
    planAll();
    for (UUID id : List.of(upcoming, running, ended, beyond)) {
      claimAndSync(id, "m-" + id);
    }
    assertThat(meetings.claimDue(10, "w1", LEASE))
        .extracting(MeetingWork::appointmentId)
        .containsExactlyInAnyOrder(noMeeting, notSynced);
    assertThat(meetings.finish(noMeeting, "w1", 1, 0)).isTrue();
    assertThat(meetings.recordMeeting(notSynced, "w1", ZOOM, "h", meeting("m-busy", true)))
        .isTrue();
    clock.advance(Duration.ofMinutes(1));

    assertThat(meetings.requestSweep(horizon)).isEqualTo(2);

    assertThat(List.of(upcoming, running, ended, beyond, noMeeting, notSynced))
        .extracting(id -> row(id).state(), id -> row(id).checkSeq())
        .containsExactly(
            tuple(State.PENDING, 1L),
            tuple(State.PENDING, 1L),
            tuple(State.SYNCED, 0L),
            tuple(State.SYNCED, 0L),
            tuple(State.SYNCED, 0L),
            tuple(State.PENDING, 0L));
    assertThat(meetings.claimDue(10, "w2", LEASE))
        .extracting(MeetingWork::appointmentId)
        .containsExactlyInAnyOrder(upcoming, running);
  }

  // --- failures ------------------------------------------------------------------------------

  @Test
  void aFailureWaitsInItsStateAndCountsTheAttemptOnlyWhenAsked() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimOne("w1");
    Instant midnight = Instant.parse("2030-03-05T00:00:00Z");

    assertThat(meetings.fail(id, "w1", State.DEFERRED, midnight, "budget spent", false)).isTrue();

    MeetingWork deferred = row(id);
    assertThat(deferred.state()).isEqualTo(State.DEFERRED);
    assertThat(deferred.attempts()).as("nobody's failure").isZero();
    assertThat(deferred.nextAttemptAt()).isEqualTo(midnight);
    assertThat(deferred.lastError()).isEqualTo("budget spent");
    assertThat(leaseOwner(id)).isNull();
    clock.advance(Duration.between(T0, midnight).minusSeconds(1));
    assertThat(meetings.claimDue(10, "w1", LEASE)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(meetings.claimDue(10, "w1", LEASE)).as("a deferred row is due again").hasSize(1);

    String longError = "x".repeat(5000);
    assertThat(meetings.fail(id, "w1", State.PENDING, clock.instant(), longError, true)).isTrue();
    MeetingWork failed = row(id);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.state()).isEqualTo(State.PENDING);
    assertThat(failed.lastError()).hasSize(1000).endsWith("…");
  }

  @Test
  void resumeMakesParkedRefusedAndDeferredRowsOfThePracticeDueAgain() {
    UUID parked = bookTelehealth(NINE, VideoPlatform.ZOOM);
    UUID refused = bookTelehealth(NINE.plusSeconds(3600), VideoPlatform.ZOOM);
    UUID onTeams = bookTelehealth(NINE.plusSeconds(7200), VideoPlatform.TEAMS);
    planAll();
    Instant never = T0.plus(Duration.ofDays(3650));
    for (MeetingWork w : meetings.claimDue(10, "w1", LEASE)) {
      State state = w.appointmentId().equals(refused) ? State.FAILED : State.PARKED;
      meetings.fail(w.appointmentId(), "w1", state, never, "refused", true);
    }
    clock.advance(Duration.ofDays(1));
    assertThat(meetings.claimDue(10, "w1", LEASE)).isEmpty();

    UUID elsewhere = practices.createPractice("Elsewhere", BERLIN).practice().id();
    assertThat(meetings.resume(elsewhere, VideoPlatform.ZOOM)).isZero();
    assertThat(meetings.resume(practice.id(), VideoPlatform.ZOOM)).isEqualTo(2);

    for (UUID id : List.of(parked, refused)) {
      MeetingWork w = row(id);
      assertThat(w.state()).isEqualTo(State.PENDING);
      assertThat(w.attempts()).isZero();
      assertThat(w.nextAttemptAt()).isEqualTo(clock.instant());
    }
    assertThat(row(onTeams).state()).isEqualTo(State.PARKED);
    assertThat(meetings.claimDue(10, "w1", LEASE))
        .extracting(MeetingWork::appointmentId)
        .containsExactlyInAnyOrder(parked, refused);
    assertThat(meetings.resume(practice.id(), VideoPlatform.TEAMS)).isEqualTo(1);
  }

  // --- budget --------------------------------------------------------------------------------

  @Test
  void theDailyBudgetAllowsUpToTheLimitPerHostAndUtcDay() {
    String weber = "weber@example.org";

    assertThat(meetings.budgetUsed(ZOOM, weber)).isZero();
    assertThat(meetings.takeBudget(ZOOM, weber, 2)).isTrue();
    assertThat(meetings.takeBudget(ZOOM, weber, 2)).isTrue();
    assertThat(meetings.takeBudget(ZOOM, weber, 2)).isFalse();
    assertThat(meetings.budgetUsed(ZOOM, weber)).isEqualTo(2);
    assertThat(meetings.takeBudget(ZOOM, "other@example.org", 2)).as("another host").isTrue();
    assertThat(meetings.takeBudget(VideoPlatform.TEAMS, weber, 2)).as("another platform").isTrue();

    clock.advance(Duration.ofHours(15).plusMinutes(59).plusSeconds(59)); // 23:59:59 UTC
    assertThat(meetings.takeBudget(ZOOM, weber, 2)).as("still the same UTC day").isFalse();
    clock.advance(Duration.ofSeconds(1)); // midnight UTC (01:00 in Berlin)
    assertThat(meetings.budgetUsed(ZOOM, weber)).isZero();
    assertThat(meetings.takeBudget(ZOOM, weber, 2)).isTrue();
    assertThat(meetings.budgetUsed(ZOOM, weber)).isEqualTo(1);
  }

  @Test
  void exhaustingTheBudgetSpendsWhatIsLeftOfToday() {
    String weber = "weber@example.org";
    assertThat(meetings.takeBudget(ZOOM, weber, 5)).isTrue();

    meetings.exhaustBudget(ZOOM, weber, 5);

    assertThat(meetings.budgetUsed(ZOOM, weber)).isEqualTo(5);
    assertThat(meetings.takeBudget(ZOOM, weber, 5)).isFalse();
    meetings.exhaustBudget(ZOOM, "fresh@example.org", 3);
    assertThat(meetings.budgetUsed(ZOOM, "fresh@example.org")).isEqualTo(3);
    clock.advance(Duration.ofDays(1));
    assertThat(meetings.takeBudget(ZOOM, weber, 5)).isTrue();
  }

  @Test
  void concurrentTakersNeverGoBeyondTheLimit() throws Exception {
    int limit = 7;
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> takes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        takes.add(
            threads.submit(
                () -> {
                  start.await();
                  return meetings.takeBudget(ZOOM, "weber@example.org", limit);
                }));
      }
      start.countDown();
      int granted = 0;
      for (Future<Boolean> take : takes) {
        granted += take.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(granted).isEqualTo(limit);
      assertThat(meetings.budgetUsed(ZOOM, "weber@example.org")).isEqualTo(limit);
    } finally {
      threads.shutdownNow();
    }
  }

  // --- receipts, audit, lookups --------------------------------------------------------------

  @Test
  void aWebhookReceiptIsTakenOnceUntilPurged() {
    assertThat(meetings.firstReceipt("zoom", "digest-1")).isTrue();
    assertThat(meetings.firstReceipt("zoom", "digest-1")).as("a replay").isFalse();
    assertThat(meetings.firstReceipt("teams", "digest-2")).isTrue();

    clock.advance(Duration.ofMinutes(30));
    assertThat(meetings.purgeReceipts(Duration.ofHours(1))).isZero();
    clock.advance(Duration.ofMinutes(31));
    assertThat(meetings.purgeReceipts(Duration.ofHours(1))).isEqualTo(2);
    assertThat(meetings.firstReceipt("zoom", "digest-1")).isTrue();
  }

  @Test
  void auditsAreListedOldestFirstForTheirPracticeOnly() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    UUID other = bookTelehealth(NINE.plusSeconds(3600), VideoPlatform.ZOOM);
    planAll();
    MeetingWork w = row(id);
    meetings.audit(w, ZOOM, "m-1", MeetingAudit.Action.CREATED, "version 1");
    clock.advance(Duration.ofMinutes(1));
    meetings.audit(row(other), ZOOM, "m-2", MeetingAudit.Action.CREATED, null);
    meetings.audit(w, ZOOM, "m-1", MeetingAudit.Action.WAITING_ROOM_REPAIRED, "x".repeat(2000));
    clock.advance(Duration.ofMinutes(1));
    meetings.audit(w, VideoPlatform.TEAMS, null, MeetingAudit.Action.DELETED, null);

    List<MeetingAudit> audits = meetings.audits(practice.id(), id);
    assertThat(audits)
        .extracting(
            MeetingAudit::appointmentId,
            MeetingAudit::platform,
            MeetingAudit::meetingId,
            MeetingAudit::action,
            MeetingAudit::at)
        .containsExactly(
            tuple(id, ZOOM, "m-1", MeetingAudit.Action.CREATED, T0),
            tuple(
                id,
                ZOOM,
                "m-1",
                MeetingAudit.Action.WAITING_ROOM_REPAIRED,
                T0.plus(Duration.ofMinutes(1))),
            tuple(
                id,
                VideoPlatform.TEAMS,
                null,
                MeetingAudit.Action.DELETED,
                T0.plus(Duration.ofMinutes(2))));
    assertThat(audits.get(0).detail()).isEqualTo("version 1");
    assertThat(audits.get(1).detail()).hasSize(1000);
    assertThat(audits.get(2).detail()).isNull();
    assertThat(audits).extracting(MeetingAudit::id).isSorted();
    UUID elsewhere = practices.createPractice("Elsewhere", BERLIN).practice().id();
    assertThat(meetings.audits(elsewhere, id)).isEmpty();
  }

  @Test
  void findsARowByItsMeetingAndByItsReference() {
    UUID id = bookTelehealth(NINE, VideoPlatform.ZOOM);
    planAll();
    claimAndSync(id, "m-42");
    String reference = MeetingReference.of(id);

    assertThat(meetings.byMeetingId(ZOOM, "m-42"))
        .hasValueSatisfying(w -> assertThat(w.appointmentId()).isEqualTo(id));
    assertThat(meetings.byMeetingId(VideoPlatform.TEAMS, "m-42")).isEmpty();
    assertThat(meetings.byMeetingId(ZOOM, "m-43")).isEmpty();
    assertThat(meetings.byReference(reference))
        .hasValueSatisfying(w -> assertThat(w.meetingId()).isEqualTo("m-42"));
    assertThat(meetings.byReference("sb-000000000000")).isEmpty();
    assertThat(MeetingReference.in(MeetingReference.topic(reference))).contains(reference);
  }

  @Test
  void listsHostsWithUpcomingMeetingsAndCountsRowsByState() {
    UUID upcoming = bookTelehealth(NINE, VideoPlatform.ZOOM);
    UUID ended = bookTelehealth(T0.minus(Duration.ofHours(2)), VideoPlatform.ZOOM);
    bookTelehealth(NINE.plusSeconds(3600), VideoPlatform.ZOOM);
    planAll();
    claimAndSync(upcoming, "m-1");
    claimAndSync(ended, "m-2");
    jdbc.sql("update meeting set meeting_host = 'old-host' where appointment_id = :id")
        .param("id", ended)
        .update();

    assertThat(meetings.hosts(ZOOM))
        .containsExactly(new MeetingStore.HostAccount(practice.id(), "weber@example.org"));
    assertThat(meetings.hosts(VideoPlatform.TEAMS)).isEmpty();
    assertThat(meetings.countByState())
        .containsEntry(State.SYNCED, 2L)
        .containsEntry(State.PENDING, 1L)
        .containsEntry(State.PARKED, 0L)
        .containsEntry(State.FAILED, 0L)
        .containsEntry(State.DEFERRED, 0L);
  }

  // --- helpers -------------------------------------------------------------------------------

  static final VideoPlatform ZOOM = VideoPlatform.ZOOM;

  UUID bookTelehealth(Instant start, VideoPlatform platform) {
    return book.book(practice.id(), request(start, Modality.TELEHEALTH, platform), null)
        .appointment()
        .id();
  }

  BookingRequest request(Instant start, Modality modality, VideoPlatform platform) {
    return new BookingRequest(
        provider.id(),
        List.of(alice.id()),
        start,
        start.plus(FIFTY_MINUTES),
        BERLIN,
        modality,
        platform,
        "Session");
  }

  static AppointmentPatch moveTo(Instant start) {
    return new AppointmentPatch(start, null, null, null, null, null, null, null);
  }

  /** Every pending outbox change, oldest first, each marked delivered. */
  List<AppointmentChange> changes() {
    List<AppointmentChange> all = new ArrayList<>();
    while (true) {
      List<AppointmentChange> batch = outbox.nextBatch(100);
      if (batch.isEmpty()) {
        return all;
      }
      for (AppointmentChange change : batch) {
        outbox.markDelivered(change.eventId());
        all.add(change);
      }
    }
  }

  AppointmentChange onlyChange() {
    List<AppointmentChange> all = changes();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  void planAll() {
    changes().forEach(change -> meetings.plan(change, MANAGED));
  }

  MeetingWork claimOne(String worker) {
    List<MeetingWork> claimed = meetings.claimDue(1, worker, LEASE);
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  /** Claims the row for a worker of its own, records {@code meetingId} for it and finishes. */
  void claimAndSync(UUID id, String meetingId) {
    String worker = "sync-" + meetingId;
    jdbc.sql("update meeting set lease_owner = :w, lease_until = :until where appointment_id = :id")
        .param("w", worker)
        .param("until", SqlTime.utc(clock.instant().plus(LEASE)))
        .param("id", id)
        .update();
    MeetingWork w = row(id);
    assertThat(
            meetings.recordMeeting(
                id, worker, w.platform(), "weber@example.org", meeting(meetingId, true)))
        .isTrue();
    assertThat(meetings.finish(id, worker, w.wantedVersion(), w.checkSeq())).isTrue();
    assertThat(row(id).state()).isEqualTo(State.SYNCED);
  }

  MeetingWork row(UUID id) {
    Optional<MeetingWork> w = meetings.work(id);
    assertThat(w).as("meeting row of %s", id).isPresent();
    return w.get();
  }

  String leaseOwner(UUID id) {
    return jdbc.sql("select lease_owner from meeting where appointment_id = :id")
        .param("id", id)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  static PlatformMeeting meeting(String id, boolean guarded) {
    return new PlatformMeeting(
        id,
        URI.create("https://zoom.example/j/" + id),
        MeetingReference.topic("sb-0123456789ab"),
        Optional.of(NINE),
        50,
        guarded,
        false);
  }

  long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }
}
