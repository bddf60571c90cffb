package org.sessionbridge.routes.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarAudit;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.CalendarWork;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.outbox.DeliveryOutcome;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The real stores on an in-memory H2 database, one practice with a provider who linked a Google
 * calendar (deleting cancelled events, counting as busy), the calendar planner fed from the real
 * outbox, and reconcilers over a fake calendar service.
 */
final class CalendarTestBed implements AutoCloseable {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Instant T0 = Instant.parse("2030-03-04T08:00:00Z");
  static final Instant NINE = Instant.parse("2030-03-11T09:00:00Z");
  static final Duration FIFTY_MINUTES = Duration.ofMinutes(50);
  static final Duration LEASE = Duration.ofMinutes(5);
  static final Duration POLL = Duration.ofMinutes(10);
  static final RetryPolicy RETRY =
      new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofMinutes(5));
  static final String PRIMARY = "primary";

  final TestClock clock = new TestClock(T0);
  final JdbcDataSource h2;
  final Connection migratingSession;
  final JdbcClient jdbc;
  final PracticeStore practices;
  final OutboxStore outbox;
  final AppointmentBook book;
  final CalendarStore store;
  final Map<UUID, CalendarEvent.Join> joins = new ConcurrentHashMap<>();
  final JoinLinks joinLinks =
      (practice, appointment) -> Optional.ofNullable(joins.get(appointment));
  final CalendarPlanner planner;
  final RecordingEvents events = new RecordingEvents();
  final FakeCalendarProvider calendar = new FakeCalendarProvider();
  final Set<UUID> unauthorised = ConcurrentHashMap.newKeySet();
  final CalendarAccounts accounts =
      link -> unauthorised.contains(link.id()) ? Optional.empty() : Optional.of(account(link));
  final UUID practiceId;
  final Staff provider;
  final UUID clientId;
  final CalendarLink google;

  CalendarTestBed() throws SQLException {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    h2.setUser("sa");
    migratingSession = h2.getConnection();
    Flyway.configure()
        .dataSource(new SingleConnectionDataSource(migratingSession, true))
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc = JdbcClient.create(h2);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(h2));
    practices = new PracticeStore(jdbc, tx, clock);
    outbox = new OutboxStore(jdbc, tx, clock);
    book = new AppointmentBook(jdbc, tx, practices, outbox, clock);
    store = new CalendarStore(jdbc, tx, clock);
    planner = new CalendarPlanner(store, practices, joinLinks);
    practiceId = practices.createPractice("Lindenhof Praxis", BERLIN).practice().id();
    provider =
        practices.createStaff(
            practiceId, "Dr. Weber", "weber@example.org", BERLIN, StaffRole.PROVIDER, true);
    clientId = practices.createClient(practiceId, "Alice Berger", "alice@example.org", null).id();
    google = link(provider.id(), CalendarLink.Kind.GOOGLE, PRIMARY, true, Removal.DELETE);
  }

  CalendarLink link(
      UUID providerId, CalendarLink.Kind kind, String calendarId, boolean busy, Removal removal) {
    return store.link(practiceId, providerId, kind, calendarId, busy, removal);
  }

  CalendarPushReconciler pusher(String worker) {
    return new CalendarPushReconciler(
        store, calendar, accounts, joinLinks, events, RETRY, clock, worker);
  }

  CalendarPullReconciler puller(String worker) {
    return new CalendarPullReconciler(
        store, calendar, accounts, events, RETRY, POLL, clock, worker);
  }

  UUID book(Instant start, Modality modality) {
    return book(provider.id(), start, modality);
  }

  UUID book(UUID providerId, Instant start, Modality modality) {
    if (modality == Modality.TELEHEALTH
        && practices.videoServices(practiceId, providerId).stream()
            .noneMatch(s -> s.platform() == VideoPlatform.ZOOM)) {
      // Telehealth bookings must name a video service the provider offers (issue #7).
      practices.addVideoService(practiceId, providerId, VideoPlatform.ZOOM, null, null, true);
    }
    BookingRequest r =
        new BookingRequest(
            providerId,
            List.of(clientId),
            start,
            start.plus(FIFTY_MINUTES),
            BERLIN,
            modality,
            modality == Modality.TELEHEALTH ? VideoPlatform.ZOOM : null,
            "Intake: anxiety, sleep problems");
    return book.book(practiceId, r, null).appointment().id();
  }

  void moveTo(UUID id, Instant start) {
    book.change(
        practiceId,
        id,
        new AppointmentPatch(start, start.plus(FIFTY_MINUTES), null, null, null, null, null, null),
        null);
  }

  /** Hands every pending appointment change to the planner, as the outbox dispatcher does. */
  int plan() {
    int planned = 0;
    while (true) {
      List<AppointmentChange> batch = outbox.nextBatch(100);
      if (batch.isEmpty()) {
        return planned;
      }
      for (AppointmentChange change : batch) {
        assertThat(outbox.deliver(change.eventId(), planner.name(), planner::onChange))
            .isEqualTo(DeliveryOutcome.DELIVERED);
        outbox.markDelivered(change.eventId());
        planned++;
      }
    }
  }

  /** Claims and reconciles what is due for {@code pusher} until nothing is; returns passes. */
  int drain(CalendarPushReconciler pusher) {
    int passes = 0;
    for (int round = 0; round < 50; round++) {
      List<CalendarWork> due = store.claimDue(10, pusher.worker(), LEASE);
      if (due.isEmpty()) {
        return passes;
      }
      for (CalendarWork w : due) {
        pusher.reconcile(w);
        passes++;
      }
    }
    throw new AssertionError("calendar work never settled");
  }

  /** Pulls every link that is due; returns how many were pulled. */
  int pullDue(CalendarPullReconciler puller) {
    int pulled = 0;
    for (CalendarLink link : store.claimPulls(10, puller.worker(), LEASE)) {
      puller.pull(link);
      pulled++;
    }
    return pulled;
  }

  CalendarWork row(UUID appointmentId) {
    return row(appointmentId, google);
  }

  CalendarWork row(UUID appointmentId, CalendarLink link) {
    return store
        .work(appointmentId, link.id())
        .orElseThrow(() -> new AssertionError("no calendar row"));
  }

  CalendarLink link(CalendarLink link) {
    return store.linkById(link.id()).orElseThrow();
  }

  List<CalendarAudit.Action> actions(UUID appointmentId) {
    return store.audits(practiceId, appointmentId).stream().map(CalendarAudit::action).toList();
  }

  static CalendarEvent.Join zoomJoin(String meeting) {
    return new CalendarEvent.Join(
        URI.create("https://zoom.example/j/" + meeting + "?pwd=secret"), "Test your audio first.");
  }

  static CalendarAccount account(CalendarLink link) {
    return new CalendarAccount() {
      @Override
      public String id() {
        return "google:" + link.providerId();
      }

      @Override
      public String accessToken() {
        return "token";
      }

      @Override
      public void invalidate(String rejected) {}
    };
  }

  @Override
  public void close() throws SQLException {
    jdbc.sql("shutdown").update();
    migratingSession.close();
  }

  /** Records what the reconcilers told the rest of the hub. */
  static final class RecordingEvents implements CalendarEvents {
    final List<String> stopped = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void linkStopped(CalendarLink link, String reason) {
      stopped.add(link.id() + " " + link.status() + ": " + reason);
    }
  }

  /** A UTC clock that stands still until a test moves it; safe to read from several threads. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the test clock is UTC only");
    }
  }
}
