package org.sessionbridge.routes.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.outbox.DeadLetter;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.StaffRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox poll route in a real Camel context over a real (in-memory H2) practice store: retries
 * with backoff, dead letters, replay, and per-appointment ordering under parallel workers.
 */
class OutboxDispatchRouteTest {

  private static final RetryPolicy RETRY =
      new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200));
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant NINE = Instant.parse("2030-03-11T09:00:00Z");

  private JdbcDataSource h2;
  private Connection migratingSession;
  private OutboxStore outbox;
  private AppointmentBook book;
  private UUID practiceId;
  private UUID providerId;
  private UUID clientId;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private CamelContext camel;
  private OutboxDispatcher dispatcher;

  @BeforeEach
  void createTheStore() throws SQLException {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    h2.setUser("sa");
    // H2 2.4.240 breaks IN-list check constraints once the session that created them closes
    // (h2database#4302), so the migrating session lives as long as the database; see
    // H2PracticeStoreTest in hub-core.
    migratingSession = h2.getConnection();
    Flyway.configure()
        .dataSource(new SingleConnectionDataSource(migratingSession, true))
        .locations("classpath:db/migration")
        .load()
        .migrate();

    JdbcClient jdbc = JdbcClient.create(h2);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(h2));
    Clock clock = Clock.systemUTC();
    PracticeStore practices = new PracticeStore(jdbc, tx, clock);
    outbox = new OutboxStore(jdbc, tx, clock);
    book = new AppointmentBook(jdbc, tx, practices, outbox, clock);
    practiceId = practices.createPractice("Lindenhof Praxis", BERLIN).practice().id();
    providerId =
        practices
            .createStaff(
                practiceId, "Dr. Weber", "weber@example.org", BERLIN, StaffRole.PROVIDER, true)
            .id();
    clientId = practices.createClient(practiceId, "Alice", "alice@example.org", null).id();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (camel != null) {
      camel.close();
    }
    workers.shutdownNow();
    assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    JdbcClient.create(h2).sql("shutdown").update();
    migratingSession.close();
  }

  @Test
  void retriesAFailingHandlerWithGrowingBackoffUntilItSucceeds() {
    Recorder calendar = new Recorder("calendar");
    Flaky meetings = new Flaky("meetings", 2);
    UUID appointment = book();
    long eventId = outbox.nextBatch(1).get(0).eventId();

    startRoute(calendar, meetings);
    // The dispatcher counts a delivery after it is committed, so the store is settled by then.
    await().atMost(PATIENCE).until(() -> dispatcher.deliveredCount() == 1);

    assertThat(outbox.stats().delivered()).isEqualTo(1);
    assertThat(meetings.calls()).hasSize(3);
    List<Duration> gaps = meetings.gaps();
    // Equal jitter: the wait after attempt n is at least half of 50 ms * 2^(n-1).
    assertThat(gaps.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(25 - 1));
    assertThat(gaps.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(50 - 1));
    assertThat(calendar.versionsOf(appointment))
        .as("a handler that already took the event is not called again on retries")
        .containsExactly(1L);
    assertThat(outbox.attempts(eventId)).isEqualTo(2);
    assertThat(outbox.deadLetters(10, 0)).isEmpty();
    assertThat(dispatcher.failedAttemptCount()).isEqualTo(2);
    assertThat(dispatcher.deliveredCount()).isEqualTo(1);
  }

  @Test
  void deadLettersAnEventAfterMaxAttemptsAndReplayDeliversIt() {
    Recorder calendar = new Recorder("calendar");
    Flaky meetings = new Flaky("meetings", RETRY.maxAttempts());
    UUID appointment = book();

    startRoute(calendar, meetings);
    await().atMost(PATIENCE).until(() -> dispatcher.deadLetteredCount() == 1);

    DeadLetter dead = outbox.deadLetters(10, 0).get(0);
    assertThat(dead.appointmentId()).isEqualTo(appointment);
    assertThat(dead.version()).isEqualTo(1);
    assertThat(dead.attempts()).isEqualTo(RETRY.maxAttempts());
    assertThat(dead.handler()).isEqualTo("meetings");
    assertThat(dead.reason())
        .startsWith(VendorUnavailable.class.getName() + ": ")
        .contains("attempt 3");
    assertThat(meetings.calls()).hasSize(3);
    assertThat(outbox.stats().pending()).isZero();

    assertThat(outbox.replay(dead.eventId())).isTrue();
    await().atMost(PATIENCE).until(() -> dispatcher.deliveredCount() == 1);

    assertThat(meetings.calls()).hasSize(4);
    assertThat(calendar.versionsOf(appointment))
        .as("replay does not call a handler that had already taken the event")
        .containsExactly(1L);
    assertThat(outbox.deadLetters(10, 0)).isEmpty();
  }

  @Test
  void deliversVersionsOfOneAppointmentInOrderAcrossWorkers() {
    int appointments = 50;
    // Fails the first try of every version 2, so version 3 is already waiting while 2 backs off.
    FailsOnceAtVersion meetings = new FailsOnceAtVersion("meetings", 2);
    Recorder calendar = new Recorder("calendar");
    // Booked and changed three times each, one appointment after the other: the oldest events
    // are four versions of the same few appointments, the batch a careless poll would take.
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < appointments; i++) {
      UUID id = book();
      for (int version = 2; version <= 4; version++) {
        change(id, version);
      }
      ids.add(id);
    }

    startRoute(meetings, calendar);
    // The fourth change of each lands while the route drains.
    for (UUID id : ids) {
      change(id, 5);
    }

    await().atMost(PATIENCE).until(() -> outbox.stats().delivered() == appointments * 5L);

    for (UUID id : ids) {
      assertThat(calendar.versionsOf(id))
          .as("versions of appointment %s, each once and in order", id)
          .containsExactly(1L, 2L, 3L, 4L, 5L);
    }
    assertThat(calendar.overlaps()).as("two versions of one appointment at once").isEmpty();
    assertThat(calendar.threads()).as("worker threads that delivered").hasSizeGreaterThan(1);
    assertThat(meetings.failures()).hasValue(appointments);
    assertThat(outbox.stats().pending()).isZero();
    assertThat(outbox.stats().dead()).isZero();
  }

  @Test
  void treatsAnErrorFromAHandlerAsAFailedAttempt() {
    AtomicInteger calls = new AtomicInteger();
    AppointmentChangeHandler missingSdk =
        new AppointmentChangeHandler() {
          @Override
          public String name() {
            return "meetings";
          }

          @Override
          public void onChange(AppointmentChange change) {
            calls.incrementAndGet();
            throw new NoClassDefFoundError("com/vendor/sdk/Client");
          }
        };
    book();

    startRoute(missingSdk);
    await().atMost(PATIENCE).until(() -> dispatcher.deadLetteredCount() == 1);

    DeadLetter dead = outbox.deadLetters(10, 0).get(0);
    assertThat(dead.attempts()).isEqualTo(RETRY.maxAttempts());
    assertThat(dead.reason()).startsWith("java.lang.NoClassDefFoundError: ");
    assertThat(calls).as("one call per attempt, each after its backoff").hasValue(3);
  }

  private void startRoute(AppointmentChangeHandler... handlers) {
    dispatcher = new OutboxDispatcher(outbox, List.of(handlers), RETRY, 16);
    camel = new DefaultCamelContext();
    camel.getShutdownStrategy().setTimeout(30);
    try {
      camel.addRoutes(new OutboxDispatchRoute(dispatcher, POLL, workers));
    } catch (Exception e) {
      throw new IllegalStateException("the outbox route did not build", e);
    }
    camel.start();
  }

  private UUID book() {
    BookingRequest r =
        new BookingRequest(
            providerId,
            List.of(clientId),
            NINE,
            NINE.plus(Duration.ofMinutes(50)),
            BERLIN,
            Modality.IN_PERSON,
            null,
            "v1");
    return book.book(practiceId, r, null).appointment().id();
  }

  private void change(UUID id, int version) {
    AppointmentPatch retitle =
        new AppointmentPatch(null, null, null, null, null, "v" + version, null, null);
    assertThat(book.change(practiceId, id, retitle, version - 1L).version()).isEqualTo(version);
  }

  /** Thrown by the fake vendors below; its type must reach the dead letter. */
  static final class VendorUnavailable extends RuntimeException {
    VendorUnavailable(String message) {
      super(message);
    }
  }

  /** Records every (appointment, version) it takes and whether two of one appointment overlap. */
  static final class Recorder implements AppointmentChangeHandler {
    private final String name;
    private final Map<UUID, List<Long>> versions = new ConcurrentHashMap<>();
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    Recorder(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void onChange(AppointmentChange change) {
      if (!inFlight.add(change.appointmentId())) {
        overlaps.add(change.appointmentId() + " v" + change.version());
      }
      try {
        threads.add(Thread.currentThread().getName());
        versions
            .computeIfAbsent(
                change.appointmentId(), id -> Collections.synchronizedList(new ArrayList<>()))
            .add(change.version());
      } finally {
        inFlight.remove(change.appointmentId());
      }
    }

    List<Long> versionsOf(UUID appointment) {
      return List.copyOf(versions.getOrDefault(appointment, List.of()));
    }

    List<String> overlaps() {
      return List.copyOf(overlaps);
    }

    Set<String> threads() {
      return Set.copyOf(threads);
    }
  }

  /** Fails its first {@code failures} calls, then succeeds; remembers when it was called. */
  static final class Flaky implements AppointmentChangeHandler {
    private final String name;
    private final int failures;
    private final List<Long> calls = Collections.synchronizedList(new ArrayList<>());

    Flaky(String name, int failures) {
      this.name = name;
      this.failures = failures;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void onChange(AppointmentChange change) {
      int attempt;
      synchronized (calls) {
        calls.add(System.nanoTime());
        attempt = calls.size();
      }
      if (attempt <= failures) {
        throw new VendorUnavailable("503 from the vendor on attempt " + attempt);
      }
    }

    List<Long> calls() {
      return List.copyOf(calls);
    }

    List<Duration> gaps() {
      List<Long> at = calls();
      List<Duration> gaps = new ArrayList<>();
      for (int i = 1; i < at.size(); i++) {
        gaps.add(Duration.ofNanos(at.get(i) - at.get(i - 1)));
      }
      return gaps;
    }
  }

  /** Fails the first delivery of the given version of every appointment. */
  static final class FailsOnceAtVersion implements AppointmentChangeHandler {
    private final String name;
    private final long version;
    private final Set<UUID> failed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failures = new AtomicInteger();

    FailsOnceAtVersion(String name, long version) {
      this.name = name;
      this.version = version;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void onChange(AppointmentChange change) {
      if (change.version() == version && failed.add(change.appointmentId())) {
        failures.incrementAndGet();
        throw new VendorUnavailable("first try of version " + version + " fails");
      }
    }

    AtomicInteger failures() {
      return failures;
    }
  }
}
