package org.sessionbridge.routes.meeting;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.meeting.MeetingAudit;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.outbox.DeliveryOutcome;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.port.MeetingPlatform;
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
 * The real stores on an in-memory H2 database, one practice with one provider and client, the
 * meeting planner fed from the real outbox, and reconcilers over fake platforms.
 */
final class MeetingTestBed implements AutoCloseable {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Instant T0 = Instant.parse("2030-03-04T08:00:00Z");
  static final Instant NINE = Instant.parse("2030-03-11T09:00:00Z");
  static final Duration FIFTY_MINUTES = Duration.ofMinutes(50);
  static final Duration LEASE = Duration.ofMinutes(5);
  static final RetryPolicy RETRY =
      new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofMinutes(5));
  static final String WEBER = "weber@example.org";

  final TestClock clock = new TestClock(T0);
  final JdbcDataSource h2;
  final Connection migratingSession;
  final JdbcClient jdbc;
  final PracticeStore practices;
  final OutboxStore outbox;
  final AppointmentBook book;
  final MeetingStore store;
  final MeetingPlanner planner;
  final RecordingEvents events = new RecordingEvents();
  final UUID practiceId;
  final Staff provider;
  final UUID clientId;

  MeetingTestBed() throws SQLException {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    h2.setUser("sa");
    // As in OutboxDispatchRouteTest: the migrating session lives as long as the database.
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
    store = new MeetingStore(jdbc, clock);
    planner = new MeetingPlanner(store, Set.of(VideoPlatform.ZOOM, VideoPlatform.TEAMS));
    practiceId = practices.createPractice("Lindenhof Praxis", BERLIN).practice().id();
    provider =
        practices.createStaff(practiceId, "Dr. Weber", WEBER, BERLIN, StaffRole.PROVIDER, true);
    clientId = practices.createClient(practiceId, "Alice", "alice@example.org", null).id();
  }

  MeetingReconciler reconciler(String worker, MeetingPlatform... platforms) {
    Map<VideoPlatform, MeetingPlatform> byPlatform = new java.util.EnumMap<>(VideoPlatform.class);
    for (MeetingPlatform p : platforms) {
      byPlatform.put(p.platform(), p);
    }
    return new MeetingReconciler(store, byPlatform, practices, events, RETRY, clock, worker);
  }

  UUID bookTelehealth(Instant start, VideoPlatform platform) {
    return bookTelehealth(provider.id(), start, platform);
  }

  UUID bookTelehealth(UUID providerId, Instant start, VideoPlatform platform) {
    offer(providerId, platform);
    BookingRequest r =
        new BookingRequest(
            providerId,
            List.of(clientId),
            start,
            start.plus(FIFTY_MINUTES),
            BERLIN,
            Modality.TELEHEALTH,
            platform,
            "Session");
    return book.book(practiceId, r, null).appointment().id();
  }

  /**
   * Makes sure the provider offers the platform (telehealth bookings must name one the provider
   * offers, issue #7); a service the test added itself, with its host account, stays as it is.
   */
  void offer(UUID providerId, VideoPlatform platform) {
    if (practices.videoServices(practiceId, providerId).stream()
        .noneMatch(s -> s.platform() == platform)) {
      practices.addVideoService(practiceId, providerId, platform, null, null, false);
    }
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

  /** Claims and reconciles what is due for {@code reconciler} until nothing is; returns passes. */
  int drain(MeetingReconciler reconciler) {
    int passes = 0;
    for (int round = 0; round < 50; round++) {
      List<MeetingWork> due = store.claimDue(10, reconciler.worker(), LEASE);
      if (due.isEmpty()) {
        return passes;
      }
      for (MeetingWork w : due) {
        reconciler.reconcile(w);
        passes++;
      }
    }
    throw new AssertionError("meeting work never settled");
  }

  MeetingWork row(UUID appointmentId) {
    return store.work(appointmentId).orElseThrow(() -> new AssertionError("no meeting row"));
  }

  List<MeetingAudit> audits(UUID appointmentId) {
    return store.audits(practiceId, appointmentId);
  }

  List<MeetingAudit.Action> actions(UUID appointmentId) {
    return audits(appointmentId).stream().map(MeetingAudit::action).toList();
  }

  /** Lets the row's lease run out, as if its worker had stalled past it. */
  void expireLease(UUID appointmentId) {
    jdbc.sql("update meeting set lease_until = :past where appointment_id = :id")
        .param("past", clock.instant().minusSeconds(1).atOffset(ZoneOffset.UTC))
        .param("id", appointmentId)
        .update();
  }

  Instant nextUtcMidnight() {
    return clock
        .instant()
        .atZone(ZoneOffset.UTC)
        .toLocalDate()
        .plusDays(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  @Override
  public void close() throws SQLException {
    jdbc.sql("shutdown").update();
    migratingSession.close();
  }

  /** Records what the reconciler told the rest of the hub. */
  static final class RecordingEvents implements MeetingEvents {
    final List<UUID> joinLinks = Collections.synchronizedList(new ArrayList<>());
    final List<String> refusals = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void joinLinkChanged(MeetingWork work) {
      joinLinks.add(work.appointmentId());
    }

    @Override
    public void connectionRefused(UUID practiceId, VideoPlatform platform, String reason) {
      refusals.add(practiceId + " " + platform + ": " + reason);
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

    void set(Instant to) {
      assertThat(to).isAfterOrEqualTo(now);
      now = to;
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
