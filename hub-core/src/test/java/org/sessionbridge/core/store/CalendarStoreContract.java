package org.sessionbridge.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarAudit;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.CalendarWork;
import org.sessionbridge.core.calendar.CalendarWork.State;
import org.sessionbridge.core.calendar.Drift;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.OwnEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the calendar store promises, whatever the database: plans per linked calendar from
 * appointment versions, leases that hand a row (and a link's pull) to one worker at a time, writes
 * fenced by the lease, parking and resuming a link, busy blocks and cursors stored together, drift
 * of our own events found and audited. Each engine's test supplies an empty database per test; the
 * contract migrates it with the real Flyway scripts.
 */
abstract class CalendarStoreContract {

  static final Instant T0 = Instant.parse("2030-03-04T08:00:00Z");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Instant NINE = Instant.parse("2030-03-11T09:00:00Z");
  static final Duration FIFTY_MINUTES = Duration.ofMinutes(50);
  static final Duration LEASE = Duration.ofMinutes(2);

  final MutableClock clock = new MutableClock(T0);
  JdbcClient jdbc;
  PracticeStore practices;
  OutboxStore outbox;
  AppointmentBook book;
  CalendarStore calendars;

  Practice practice;
  Staff provider;
  Staff other;
  Client alice;
  CalendarLink google;
  CalendarLink outlook;

  /** A new, empty database that no other test uses. */
  protected abstract DataSource newDatabase();

  @BeforeEach
  void migrateAndLinkTwoCalendars() {
    DataSource dataSource = newDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    practices = new PracticeStore(jdbc, tx, clock);
    outbox = new OutboxStore(jdbc, tx, clock);
    book = new AppointmentBook(jdbc, tx, practices, outbox, clock);
    calendars = new CalendarStore(jdbc, tx, clock);

    practice = practices.createPractice("Lindenhof Praxis", BERLIN).practice();
    provider =
        practices.createStaff(
            practice.id(), "Dr. Weber", "weber@example.org", BERLIN, StaffRole.PROVIDER, true);
    other =
        practices.createStaff(
            practice.id(), "Dr. Roth", "roth@example.org", BERLIN, StaffRole.PROVIDER, true);
    alice = practices.createClient(practice.id(), "Alice", "alice@example.org", null);
    // Telehealth bookings must name a video service the provider offers (issue #7).
    for (Staff s : List.of(provider, other)) {
      practices.addVideoService(
          practice.id(),
          s.id(),
          org.sessionbridge.core.practice.VideoPlatform.ZOOM,
          null,
          null,
          false);
    }
    google =
        calendars.link(
            practice.id(),
            provider.id(),
            CalendarLink.Kind.GOOGLE,
            "primary",
            true,
            Removal.DELETE);
    outlook =
        calendars.link(
            practice.id(),
            provider.id(),
            CalendarLink.Kind.MICROSOFT,
            "AAMk-sessions",
            false,
            Removal.MARK_CANCELLED);
  }

  // --- push channels -------------------------------------------------------------------------

  @Test
  void channelsAreClaimedWhenMissingOrNearExpiryAndTheReplacedOneWaitsToBeStopped() {
    Duration margin = Duration.ofDays(1);
    Duration hold = Duration.ofMinutes(2);
    List<CalendarStore.ChannelWork> first = calendars.claimChannels(10, margin, hold);
    // Google channels and Microsoft Graph subscriptions alike.
    assertThat(first)
        .extracting(w -> w.link().id())
        .containsExactlyInAnyOrder(google.id(), outlook.id());
    assertThat(first.get(0).needsChannel(clock.instant().plus(margin))).isTrue();
    assertThat(calendars.claimChannels(10, margin, hold)).isEmpty(); // held
    calendars.unlink(practice.id(), outlook.id()); // the rest follows the Google link

    CalendarStore.Channel one = calendars.openChannel(google.id());
    Instant expires = clock.instant().plus(Duration.ofDays(7));
    assertThat(
            calendars.channelOpened(google.id(), one.id(), "res-1", expires, expires.minus(margin)))
        .isTrue();
    clock.advance(Duration.ofDays(5));
    assertThat(calendars.claimChannels(10, margin, hold)).isEmpty();
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    CalendarStore.ChannelWork due = calendars.claimChannels(10, margin, hold).get(0);
    assertThat(due.channelId()).isEqualTo(one.id());
    assertThat(due.resourceId()).isEqualTo("res-1");
    assertThat(due.expiresAt()).isEqualTo(expires);

    CalendarStore.Channel two = calendars.openChannel(google.id());
    assertThat(calendars.notifyChannel(one.id(), one.token()))
        .isEqualTo(CalendarStore.ChannelCheck.UNKNOWN);
    assertThat(calendars.notifyChannel(two.id(), two.token()))
        .isEqualTo(CalendarStore.ChannelCheck.VERIFIED);
    Instant later = clock.instant().plus(Duration.ofDays(7));
    calendars.channelOpened(google.id(), two.id(), "res-2", later, later.minus(margin));
    // A lifecycle notification asks for a new channel at the next pass.
    assertThat(calendars.channelNeedsRenewal("no-such-channel")).isFalse();
    assertThat(calendars.failChannel(google.id(), clock.instant(), "stop failed")).isTrue();
    CalendarStore.ChannelWork stop = calendars.claimChannels(10, margin, hold).get(0);
    assertThat(stop.oldChannelId()).isEqualTo(one.id());
    assertThat(stop.oldResourceId()).isEqualTo("res-1");
    assertThat(stop.attempts()).isEqualTo(1);
    assertThat(stop.needsChannel(clock.instant().plus(margin))).isFalse();
    assertThat(calendars.oldChannelStopped(google.id(), one.id())).isTrue();
    clock.advance(hold.plusSeconds(1));
    assertThat(calendars.claimChannels(10, margin, hold)).isEmpty();
  }

  // --- links and planning --------------------------------------------------------------------

  @Test
  void aNewLinkIsActiveAndDueForItsFirstFullPull() {
    assertThat(google.status()).isEqualTo(CalendarLink.Status.ACTIVE);
    assertThat(google.cursor()).isNull();
    assertThat(google.lastFullSyncAt()).isNull();
    assertThat(google.nextPullAt()).isEqualTo(T0);
    assertThat(calendars.links(practice.id(), provider.id()))
        .extracting(CalendarLink::id)
        .containsExactlyInAnyOrder(google.id(), outlook.id());
    assertThat(calendars.links(practice.id(), other.id())).isEmpty();
  }

  @Test
  void plansOneRowPerLinkedCalendarAndIgnoresStaleVersions() {
    UUID id = bookAt(NINE);
    AppointmentChange v1 = onlyChange();

    assertThat(calendars.plan(google, Modality.TELEHEALTH, event(v1, "Video session – A."), true))
        .isTrue();
    assertThat(calendars.plan(outlook, Modality.TELEHEALTH, event(v1, "Video session – A."), true))
        .isTrue();

    CalendarWork w = row(id, google);
    assertThat(w.practiceId()).isEqualTo(practice.id());
    assertThat(w.providerId()).isEqualTo(provider.id());
    assertThat(w.present()).isTrue();
    assertThat(w.wantedVersion()).isEqualTo(1);
    assertThat(w.event().title()).isEqualTo("Video session – A.");
    assertThat(w.event().start()).isEqualTo(NINE);
    assertThat(w.event().end()).isEqualTo(NINE.plus(FIFTY_MINUTES));
    assertThat(w.event().timeZone()).isEqualTo(BERLIN);
    assertThat(w.event().join()).isEmpty();
    assertThat(w.modality()).isEqualTo(Modality.TELEHEALTH);
    assertThat(w.externalId()).isNull();
    assertThat(w.syncedVersion()).isZero();
    assertThat(w.state()).isEqualTo(State.PENDING);
    assertThat(w.nextAttemptAt()).isEqualTo(T0);
    assertThat(calendars.works(id)).hasSize(2);

    // The same version again (a replayed dead letter) changes nothing.
    assertThat(calendars.plan(google, Modality.TELEHEALTH, event(v1, "other"), true)).isFalse();
    assertThat(row(id, google).event().title()).isEqualTo("Video session – A.");
  }

  @Test
  void aRescheduleReplacesTheWantedEventAndACancellationAsksForRemoval() {
    UUID id = bookAt(NINE);
    planAll();
    claimAndSync(id, google, "ext-1");

    book.change(practice.id(), id, moveTo(NINE.plusSeconds(3600)), null);
    planAll();
    CalendarWork moved = row(id, google);
    assertThat(moved.wantedVersion()).isEqualTo(2);
    assertThat(moved.event().start()).isEqualTo(NINE.plusSeconds(3600));
    assertThat(moved.state()).isEqualTo(State.PENDING);
    assertThat(moved.externalId()).isEqualTo("ext-1");

    book.cancel(practice.id(), id, null);
    for (AppointmentChange c : changes()) {
      assertThat(c.status()).isEqualTo(AppointmentStatus.CANCELLED);
      calendars.plan(google, c.modality(), event(c, "x"), false);
    }
    assertThat(row(id, google).present()).isFalse();
    assertThat(row(id, google).wantedVersion()).isEqualTo(3);
  }

  @Test
  void removingAnEventThatWasNeverPlannedWritesNothing() {
    UUID id = bookAt(NINE);
    AppointmentChange v1 = onlyChange();

    assertThat(calendars.plan(google, Modality.TELEHEALTH, event(v1, "x"), false)).isFalse();

    assertThat(calendars.works(id)).isEmpty();
  }

  @Test
  void anAppointmentMovedToAnotherProviderIsRemovedFromTheFirstProvidersCalendars() {
    UUID id = bookAt(NINE);
    planAll();

    assertThat(calendars.planRemovalElsewhere(id, 2, Set.of(outlook.id()))).isEqualTo(1);

    assertThat(row(id, google).present()).isFalse();
    assertThat(row(id, google).wantedVersion()).isEqualTo(2);
    assertThat(row(id, outlook).present()).isTrue();
    assertThat(calendars.planRemovalElsewhere(id, 2, Set.of())).as("stale").isEqualTo(1);
    assertThat(calendars.planRemovalElsewhere(id, 2, Set.of())).as("done").isZero();
  }

  @Test
  void eventsPlannedForAStoppedLinkWaitParked() {
    calendars.parkLink(google.id(), CalendarLink.Status.NEEDS_REAUTHORIZATION, "invalid_grant");
    CalendarLink stopped = calendars.linkById(google.id()).orElseThrow();
    assertThat(stopped.status()).isEqualTo(CalendarLink.Status.NEEDS_REAUTHORIZATION);
    assertThat(stopped.statusReason()).isEqualTo("invalid_grant");

    UUID id = bookAt(NINE);
    AppointmentChange v1 = onlyChange();
    calendars.plan(stopped, Modality.TELEHEALTH, event(v1, "x"), true);

    assertThat(row(id, google).state()).isEqualTo(State.PARKED);
    assertThat(calendars.claimDue(10, "w", LEASE)).isEmpty();
    assertThat(calendars.claimPulls(10, "w", LEASE))
        .extracting(CalendarLink::id)
        .containsExactly(outlook.id());
  }

  // --- leases and fenced writes --------------------------------------------------------------

  @Test
  void twoWorkersRacingForRowsGetEachRowExactlyOnce() throws Exception {
    for (int i = 0; i < 20; i++) {
      bookAt(NINE.plus(Duration.ofHours(i)));
    }
    planAll();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<CalendarWork>>> claims = new ArrayList<>();
      for (String worker : List.of("a", "b")) {
        claims.add(
            pool.submit(
                () -> {
                  start.await();
                  List<CalendarWork> mine = new ArrayList<>();
                  for (int round = 0; round < 60; round++) {
                    mine.addAll(calendars.claimDue(3, worker, LEASE));
                  }
                  return mine;
                }));
      }
      start.countDown();
      Set<String> seen = new HashSet<>();
      int total = 0;
      for (Future<List<CalendarWork>> f : claims) {
        for (CalendarWork w : f.get(30, TimeUnit.SECONDS)) {
          assertThat(seen.add(w.appointmentId() + "/" + w.linkId())).as("claimed twice").isTrue();
          total++;
        }
      }
      assertThat(total).isEqualTo(40);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyWorkerWriteIsRefusedWithoutTheLease() {
    UUID id = bookAt(NINE);
    planAll();
    CalendarWork claimed = calendars.claimDue(1, "a", LEASE).get(0);
    ExternalEvent ext = new ExternalEvent("ext-1", "e1", 1, true);

    assertThat(calendars.recordPushed(id, claimed.linkId(), "b", ext)).isFalse();
    assertThat(calendars.recordRemoved(id, claimed.linkId(), "b")).isFalse();
    assertThat(calendars.recordJoin(id, claimed.linkId(), "b", join("https://z/1"), "")).isFalse();
    assertThat(calendars.finish(id, claimed.linkId(), "b", 1, 0)).isFalse();
    assertThat(calendars.fail(id, claimed.linkId(), "b", State.FAILED, T0.plusSeconds(9), "nope"))
        .isFalse();
    assertThat(calendars.claimDue(10, "b", LEASE))
        .as("the other link's row only")
        .extracting(CalendarWork::linkId)
        .doesNotContain(claimed.linkId());

    clock.advance(LEASE.plusSeconds(1));
    CalendarWork stolen =
        calendars.claimDue(10, "b", LEASE).stream()
            .filter(w -> w.linkId().equals(claimed.linkId()))
            .findFirst()
            .orElseThrow();
    assertThat(calendars.recordPushed(id, stolen.linkId(), "a", ext)).as("lost lease").isFalse();
    assertThat(calendars.recordPushed(id, stolen.linkId(), "b", ext)).isTrue();
    assertThat(row(id, claimed.linkId()).externalId()).isEqualTo("ext-1");
  }

  @Test
  void finishSyncsTheRowUnlessANewerVersionOrRefreshArrivedDuringThePass() {
    UUID id = bookAt(NINE);
    planAll();
    CalendarWork w = claim(id, google, "a");
    book.change(practice.id(), id, moveTo(NINE.plusSeconds(600)), null);
    planAll();

    assertThat(calendars.finish(id, google.id(), "a", w.wantedVersion(), w.checkSeq())).isTrue();
    assertThat(row(id, google).state()).isEqualTo(State.PENDING);
    assertThat(row(id, google).syncedVersion()).isEqualTo(1);

    CalendarWork again = claim(id, google, "a");
    assertThat(calendars.requestRefresh(id)).isEqualTo(2);
    assertThat(calendars.finish(id, google.id(), "a", again.wantedVersion(), again.checkSeq()))
        .isTrue();
    assertThat(row(id, google).state()).as("refresh during the pass").isEqualTo(State.PENDING);

    CalendarWork third = claim(id, google, "a");
    assertThat(calendars.finish(id, google.id(), "a", third.wantedVersion(), third.checkSeq()))
        .isTrue();
    CalendarWork synced = row(id, google);
    assertThat(synced.state()).isEqualTo(State.SYNCED);
    assertThat(synced.syncedVersion()).isEqualTo(2);
    assertThat(calendars.claimDue(10, "a", LEASE))
        .extracting(CalendarWork::linkId)
        .doesNotContain(google.id());
  }

  @Test
  void aRefreshMakesASyncedRowDueButLeavesAWaitingRowToItsRetry() {
    UUID id = bookAt(NINE);
    planAll();
    claimAndSync(id, google, "ext-1");
    CalendarWork w = claim(id, outlook, "a");
    calendars.fail(id, outlook.id(), "a", State.PENDING, T0.plusSeconds(60), "503");

    assertThat(calendars.requestRefresh(id)).isEqualTo(2);

    assertThat(row(id, google).state()).isEqualTo(State.PENDING);
    assertThat(row(id, google).nextAttemptAt()).isEqualTo(T0);
    assertThat(row(id, outlook).nextAttemptAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(row(id, outlook).checkSeq()).isEqualTo(w.checkSeq() + 1);
    assertThat(row(id, outlook).attempts()).isEqualTo(1);
    assertThat(row(id, outlook).lastError()).isEqualTo("503");
  }

  @Test
  void recordsPushedEventsAndTheJoinLinkThatAppearedLater() {
    UUID id = bookAt(NINE);
    planAll();
    claim(id, google, "a");

    assertThat(calendars.recordJoin(id, google.id(), "a", join("https://zoom.example/j/1"), ""))
        .isTrue();
    assertThat(
            calendars.recordPushed(id, google.id(), "a", new ExternalEvent("ext", "e1", 1, true)))
        .isTrue();

    CalendarWork w = row(id, google);
    assertThat(w.event().join()).contains(join("https://zoom.example/j/1"));
    assertThat(w.event().description()).isEmpty();
    assertThat(w.externalId()).isEqualTo("ext");
    assertThat(w.etag()).isEqualTo("e1");
  }

  @Test
  void parkingALinkParksItsWaitingRowsAndResumingMakesThemDue() {
    UUID first = bookAt(NINE);
    UUID second = bookAt(NINE.plusSeconds(7200));
    planAll();
    claim(first, google, "a"); // leased rows are left to their worker

    assertThat(calendars.parkLink(google.id(), CalendarLink.Status.CALENDAR_GONE, "404 notFound"))
        .isEqualTo(1);
    assertThat(row(second, google).state()).isEqualTo(State.PARKED);
    assertThat(row(second, google).lastError()).isEqualTo("404 notFound");
    assertThat(row(first, google).state()).isEqualTo(State.PENDING);
    assertThat(row(second, outlook).state()).as("other link").isEqualTo(State.PENDING);
    calendars.fail(first, google.id(), "a", State.PARKED, T0.plus(Duration.ofDays(9)), "gone");

    clock.advance(Duration.ofMinutes(5));
    assertThat(calendars.resumeLink(google.id())).isEqualTo(2);

    CalendarLink link = calendars.linkById(google.id()).orElseThrow();
    assertThat(link.status()).isEqualTo(CalendarLink.Status.ACTIVE);
    assertThat(link.statusReason()).isNull();
    assertThat(row(first, google).state()).isEqualTo(State.PENDING);
    assertThat(row(second, google).nextAttemptAt()).isEqualTo(clock.instant());
    assertThat(row(second, google).attempts()).isZero();
  }

  // --- pull: busy blocks, cursors, drift -----------------------------------------------------

  @Test
  void aFullPullReplacesTheBusyBlocksAndStoresTheCursor() {
    CalendarLink claimed = onlyPull(google, "a");
    assertThat(
            calendars.applyPull(
                claimed.id(),
                "a",
                full("c1", block("gym", 10), block("lunch", 12), block("dentist", 15))))
        .contains(List.of());
    assertThat(calendars.finishPull(claimed.id(), "a", claimed.pullSeq(), T0.plusSeconds(300)))
        .isTrue();

    CalendarLink after = calendars.linkById(google.id()).orElseThrow();
    assertThat(after.cursor()).isEqualTo("c1");
    assertThat(after.lastFullSyncAt()).isEqualTo(T0);
    assertThat(after.nextPullAt()).isEqualTo(T0.plusSeconds(300));
    assertThat(ids(calendars.busyBlocks(google.id()))).containsExactly("gym", "lunch", "dentist");

    clock.advance(Duration.ofMinutes(5));
    CalendarLink again = onlyPull(google, "a");
    calendars.applyPull(again.id(), "a", full("c2", block("lunch", 12), block("gym", 16)));
    assertThat(calendars.busyBlocks(google.id()))
        .as("replaced, no duplicates")
        .extracting(BusyBlock::externalId, BusyBlock::start)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("lunch", at(12)),
            org.assertj.core.groups.Tuple.tuple("gym", at(16)));
    assertThat(calendars.linkById(google.id()).orElseThrow().lastFullSyncAt())
        .isEqualTo(clock.instant());
  }

  @Test
  void anIncrementalPullAddsChangesAndFreesBlocks() {
    CalendarLink claimed = onlyPull(google, "a");
    calendars.applyPull(claimed.id(), "a", full("c1", block("gym", 10), block("lunch", 12)));
    calendars.finishPull(claimed.id(), "a", claimed.pullSeq(), T0);

    CalendarLink next = onlyPull(google, "a");
    calendars.applyPull(
        next.id(),
        "a",
        new CalendarChanges(
            false,
            List.of(block("gym", 11), block("run", 7)),
            Set.of("lunch", "never-seen"),
            List.of(),
            "c2"));

    assertThat(calendars.busyBlocks(google.id()))
        .extracting(BusyBlock::externalId, BusyBlock::start)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("run", at(7)),
            org.assertj.core.groups.Tuple.tuple("gym", at(11)));
    assertThat(calendars.linkById(google.id()).orElseThrow().cursor()).isEqualTo("c2");
    assertThat(calendars.linkById(google.id()).orElseThrow().lastFullSyncAt()).isEqualTo(T0);
  }

  @Test
  void busyTimeComesOnlyFromActiveLinksThatCountAsBusy() {
    for (CalendarLink link : calendars.claimPulls(10, "a", LEASE)) {
      calendars.applyPull(link.id(), "a", full("c1", block("gym-" + link.kind(), 10)));
    }
    assertThat(calendars.busyBlocks(outlook.id())).as("not counted as busy").isEmpty();

    assertThat(ids(calendars.busyBetween(provider.id(), at(9), at(11))))
        .containsExactly("gym-GOOGLE");
    assertThat(calendars.busyBetween(provider.id(), at(11), at(12))).as("ends at 11").isEmpty();
    assertThat(calendars.busyBetween(other.id(), at(0), at(23))).isEmpty();

    calendars.parkLink(google.id(), CalendarLink.Status.NEEDS_REAUTHORIZATION, "invalid_grant");
    assertThat(calendars.busyBetween(provider.id(), at(9), at(11))).isEmpty();
  }

  @Test
  void aPullWithoutTheLeaseStoresNothing() {
    CalendarLink claimed = onlyPull(google, "a");

    assertThat(calendars.applyPull(claimed.id(), "b", full("c1", block("gym", 10)))).isEmpty();
    assertThat(calendars.finishPull(claimed.id(), "b", 0, T0)).isFalse();
    assertThat(calendars.failPull(claimed.id(), "b", T0, "x")).isFalse();

    assertThat(calendars.busyBlocks(google.id())).isEmpty();
    assertThat(calendars.linkById(google.id()).orElseThrow().cursor()).isNull();
  }

  @Test
  void aPullRequestedDuringAPullIsFollowedByAnother() {
    CalendarLink claimed = onlyPull(google, "a");
    assertThat(calendars.requestPull(google.id())).isTrue();
    calendars.applyPull(claimed.id(), "a", full("c1"));
    calendars.finishPull(claimed.id(), "a", claimed.pullSeq(), T0.plusSeconds(300));

    assertThat(calendars.claimPulls(10, "a", LEASE))
        .extracting(CalendarLink::id)
        .contains(google.id());
    calendars.finishPull(google.id(), "a", claimed.pullSeq() + 1, T0.plusSeconds(300));
    assertThat(calendars.claimPulls(10, "a", LEASE))
        .extracting(CalendarLink::id)
        .doesNotContain(google.id());

    calendars.requestPull(google.id());
    assertThat(calendars.claimPulls(10, "a", LEASE))
        .extracting(CalendarLink::id)
        .contains(google.id());
  }

  @Test
  void ourEventReportedOnlyByItsIdAsRemovedIsADeletionByTheOwner() {
    // Microsoft Graph's delta reports a deleted event as {"id": …, "@removed": …}: no properties.
    UUID deleted = bookAt(NINE);
    planAll();
    claimAndSync(deleted, google, "ext-gone");

    CalendarLink claimed = onlyPull(google, "a");
    Optional<List<CalendarStore.FoundDrift>> found =
        calendars.applyPull(
            claimed.id(),
            "a",
            new CalendarChanges(
                false, List.of(), Set.of("ext-gone", "someone-elses"), List.of(), "c2"));

    assertThat(found).contains(List.of(new CalendarStore.FoundDrift(deleted, Drift.DELETED)));
    assertThat(row(deleted, google).drift()).isEqualTo(Drift.DELETED);
    assertThat(calendars.audits(practice.id(), deleted))
        .extracting(CalendarAudit::action)
        .containsExactly(CalendarAudit.Action.DELETED_BY_OWNER);
  }

  @Test
  void ourEventMovedOrDeletedByTheOwnerIsMarkedForAPushAndAudited() {
    UUID moved = bookAt(NINE);
    UUID deleted = bookAt(NINE.plusSeconds(7200));
    UUID pending = bookAt(NINE.plusSeconds(14400));
    planAll();
    claimAndSync(moved, google, "ext-m");
    claimAndSync(deleted, google, "ext-d");

    CalendarLink claimed = onlyPull(google, "a");
    Optional<List<CalendarStore.FoundDrift>> found =
        calendars.applyPull(
            claimed.id(),
            "a",
            new CalendarChanges(
                false,
                List.of(),
                Set.of(),
                List.of(
                    own(moved, "ext-m", false, NINE.plusSeconds(1800)),
                    own(deleted, "ext-d", true, null),
                    own(pending, "ext-p", false, NINE.plusSeconds(99)),
                    own(UUID.randomUUID(), "ext-x", true, null)),
                "c2"));

    assertThat(found)
        .contains(
            List.of(
                new CalendarStore.FoundDrift(moved, Drift.MOVED),
                new CalendarStore.FoundDrift(deleted, Drift.DELETED)));
    CalendarWork m = row(moved, google);
    assertThat(m.state()).isEqualTo(State.PENDING);
    assertThat(m.drift()).isEqualTo(Drift.MOVED);
    assertThat(m.checkSeq()).isGreaterThan(m.checkedSeq());
    assertThat(row(deleted, google).drift()).isEqualTo(Drift.DELETED);
    assertThat(row(pending, google).drift()).as("not pushed yet: not a drift").isNull();
    assertThat(calendars.audits(practice.id(), moved))
        .extracting(CalendarAudit::action, CalendarAudit::externalId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CalendarAudit.Action.MOVED_BY_OWNER, "ext-m"));
    assertThat(calendars.audits(practice.id(), deleted))
        .extracting(CalendarAudit::action)
        .containsExactly(CalendarAudit.Action.DELETED_BY_OWNER);
    assertThat(calendars.audits(UUID.randomUUID(), moved)).as("other practice").isEmpty();

    // Pushing it back clears the drift.
    CalendarWork w = claim(moved, google, "p");
    calendars.recordPushed(moved, google.id(), "p", new ExternalEvent("ext-m", "e9", 1, false));
    calendars.finish(moved, google.id(), "p", w.wantedVersion(), w.checkSeq());
    assertThat(row(moved, google).drift()).isNull();
    assertThat(row(moved, google).state()).isEqualTo(State.SYNCED);
  }

  @Test
  void countsRowsByState() {
    UUID id = bookAt(NINE);
    planAll();
    claimAndSync(id, google, "ext-1");

    assertThat(calendars.countByState())
        .containsEntry(State.SYNCED, 1L)
        .containsEntry(State.PENDING, 1L)
        .containsEntry(State.FAILED, 0L);
  }

  // --- helpers -------------------------------------------------------------------------------

  UUID bookAt(Instant start) {
    return book.book(
            practice.id(),
            new BookingRequest(
                provider.id(),
                List.of(alice.id()),
                start,
                start.plus(FIFTY_MINUTES),
                BERLIN,
                Modality.TELEHEALTH,
                org.sessionbridge.core.practice.VideoPlatform.ZOOM,
                "Session"),
            null)
        .appointment()
        .id();
  }

  static org.sessionbridge.core.appointment.AppointmentPatch moveTo(Instant start) {
    return new org.sessionbridge.core.appointment.AppointmentPatch(
        start, start.plus(FIFTY_MINUTES), null, null, null, null, null, null);
  }

  static CalendarEvent event(AppointmentChange c, String title) {
    return new CalendarEvent(
        c.appointmentId(),
        c.version(),
        title,
        "",
        c.start(),
        c.end(),
        c.timeZone(),
        Optional.empty(),
        Optional.empty(),
        CalendarEvent.Status.CONFIRMED);
  }

  static CalendarEvent.Join join(String url) {
    return new CalendarEvent.Join(URI.create(url), "Test your audio first.");
  }

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

  /** Plans every pending change in both calendars, as the planner does for a booked session. */
  void planAll() {
    for (AppointmentChange c : changes()) {
      boolean present = c.status() == AppointmentStatus.BOOKED;
      calendars.plan(google, c.modality(), event(c, "Video session – A."), present);
      calendars.plan(outlook, c.modality(), event(c, "Video session – A."), present);
    }
  }

  CalendarWork claim(UUID id, CalendarLink link, String worker) {
    jdbc.sql(
            "update calendar_event set lease_owner = :w, lease_until = :until"
                + " where appointment_id = :id and link_id = :link")
        .param("w", worker)
        .param("until", SqlTime.utc(clock.instant().plus(LEASE)))
        .param("id", id)
        .param("link", link.id())
        .update();
    return row(id, link);
  }

  /** Pushes the row as worker {@code sync} and finishes it. */
  void claimAndSync(UUID id, CalendarLink link, String externalId) {
    CalendarWork w = claim(id, link, "sync");
    assertThat(
            calendars.recordPushed(
                id,
                link.id(),
                "sync",
                new ExternalEvent(externalId, "e1", w.wantedVersion(), true)))
        .isTrue();
    assertThat(calendars.finish(id, link.id(), "sync", w.wantedVersion(), w.checkSeq())).isTrue();
    assertThat(row(id, link).state()).isEqualTo(State.SYNCED);
  }

  CalendarLink onlyPull(CalendarLink link, String worker) {
    List<CalendarLink> claimed = calendars.claimPulls(10, worker, LEASE);
    return claimed.stream()
        .filter(l -> l.id().equals(link.id()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("link not due: " + link.id()));
  }

  CalendarWork row(UUID id, CalendarLink link) {
    return row(id, link.id());
  }

  CalendarWork row(UUID id, UUID linkId) {
    Optional<CalendarWork> w = calendars.work(id, linkId);
    assertThat(w).as("calendar row of %s in %s", id, linkId).isPresent();
    return w.get();
  }

  static Instant at(int hour) {
    return Instant.parse("2030-03-12T00:00:00Z").plus(Duration.ofHours(hour));
  }

  static BusyBlock block(String id, int hour) {
    return new BusyBlock(id, at(hour), at(hour).plus(Duration.ofHours(1)), false);
  }

  static CalendarChanges full(String cursor, BusyBlock... busy) {
    return new CalendarChanges(true, List.of(busy), Set.of(), List.of(), cursor);
  }

  static OwnEvent own(UUID appointmentId, String externalId, boolean deleted, Instant start) {
    return new OwnEvent(
        appointmentId,
        externalId,
        OptionalLong.of(1),
        deleted,
        Optional.ofNullable(start),
        Optional.ofNullable(start).map(s -> s.plus(FIFTY_MINUTES)));
  }

  static List<String> ids(List<BusyBlock> blocks) {
    return blocks.stream().map(BusyBlock::externalId).toList();
  }
}
