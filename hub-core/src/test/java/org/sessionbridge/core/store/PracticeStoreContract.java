package org.sessionbridge.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Booked;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.ChangeType;
import org.sessionbridge.core.appointment.FeedWindow;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.sessionbridge.core.credential.SecretBox;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.error.VersionMismatchException;
import org.sessionbridge.core.feed.Feed;
import org.sessionbridge.core.feed.FeedOwner;
import org.sessionbridge.core.feed.FeedStore;
import org.sessionbridge.core.feed.IssuedFeed;
import org.sessionbridge.core.outbox.DeadLetter;
import org.sessionbridge.core.outbox.DeliveryOutcome;
import org.sessionbridge.core.outbox.OutboxStats;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.policy.ClientLabel;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.CompliancePolicies;
import org.sessionbridge.core.practice.CompliancePolicy;
import org.sessionbridge.core.practice.IssuedApiKey;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeSettings;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.TelehealthAudit;
import org.sessionbridge.core.practice.TelehealthRoles;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.sessionbridge.core.practice.VideoServiceSpec;
import org.sessionbridge.core.practice.VideoServices;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the practice store, the appointment book and the outbox promise, whatever the database. Each
 * engine's test supplies an empty database per test; the contract migrates it with the real Flyway
 * scripts and drives the real stores.
 */
abstract class PracticeStoreContract {

  static final Instant T0 = Instant.parse("2030-03-04T08:00:00Z");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Instant NINE = Instant.parse("2030-03-11T09:00:00Z");
  static final Duration FIFTY_MINUTES = Duration.ofMinutes(50);

  final MutableClock clock = new MutableClock(T0);
  DataSource dataSource;
  JdbcClient jdbc;
  TransactionTemplate tx;
  PracticeStore practices;
  OutboxStore outbox;
  AppointmentBook book;

  Practice practice;
  String apiKey;
  Staff provider;
  Client alice;
  Client bob;

  /** A new, empty database that no other test uses. */
  protected abstract DataSource newDatabase();

  /**
   * A query counting the other sessions of this database that wait for a lock while running a
   * statement that matches the LIKE pattern in parameter {@code :statement} (engines may append the
   * bound values to the statement text).
   */
  protected abstract String countSessionsWaitingForALock();

  /** Runs the real Flyway migrations, as the hub does at startup. */
  protected void migrate(DataSource database) {
    Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
  }

  @BeforeEach
  void migrateAndCreateAPractice() {
    dataSource = newDatabase();
    migrate(dataSource);
    jdbc = JdbcClient.create(dataSource);
    tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    practices = new PracticeStore(jdbc, tx, clock);
    outbox = new OutboxStore(jdbc, tx, clock);
    book = new AppointmentBook(jdbc, tx, practices, outbox, clock);

    IssuedApiKey issued = practices.createPractice("Lindenhof Praxis", BERLIN);
    practice = issued.practice();
    apiKey = issued.apiKey();
    provider =
        practices.createStaff(
            practice.id(), "Dr. Weber", "weber@example.org", BERLIN, StaffRole.PROVIDER, true);
    alice = practices.createClient(practice.id(), "Alice", "alice@example.org", null);
    bob = practices.createClient(practice.id(), "Bob", "bob@example.org", "+49 30 1234567");
  }

  // --- practices and API keys ---------------------------------------------------------------

  @Test
  void findsAPracticeByItsApiKeyAndNotByAnyOther() {
    assertThat(practices.findByApiKey(apiKey)).contains(practice);
    assertThat(practices.findByApiKey(apiKey + "x")).isEmpty();
    assertThat(practices.findByApiKey("sbk_not-a-key-anyone-was-given")).isEmpty();
    assertThat(practice.apiKeyHint()).isEqualTo(apiKey.substring(0, 8) + "…");
    assertThat(practice.createdAt()).isEqualTo(T0);
    assertThat(practices.practice(practice.id())).contains(practice);
  }

  @Test
  void newPracticeStartsWithTheStrictCompliancePolicy() {
    assertThat(practices.compliancePolicy(practice.id())).isEqualTo(CompliancePolicy.STRICT);
  }

  @Test
  void policyChangeKeepsItsBaaListAndIsAuditedWithTheActorInOneTransaction() {
    TelehealthAudit audit = new TelehealthAudit(jdbc, clock);
    TelehealthRoles roles = new TelehealthRoles(tx, practices, audit);
    CompliancePolicies policies = new CompliancePolicies(tx, practices, roles, audit);
    Staff owner =
        practices.createStaff(
            practice.id(), "Owner", "owner@example.org", BERLIN, StaffRole.OWNER, false);
    practices.addVideoService(
        practice.id(), provider.id(), VideoPlatform.VSEE, "https://vsee.me/w", null, true);
    CompliancePolicy narrowed =
        new CompliancePolicy(
            true, true, false, true, java.util.EnumSet.of(VideoPlatform.ZOOM, VideoPlatform.DOXY));

    CompliancePolicies.Outcome outcome = policies.change(practice.id(), owner.id(), narrowed);

    assertThat(practices.compliancePolicy(practice.id())).isEqualTo(narrowed);
    assertThat(practices.compliancePolicyChange(practice.id()).by()).isEqualTo(owner.id());
    assertThat(outcome.violations())
        .extracting(v -> v.platform(), v -> v.rule())
        .containsExactly(tuple(VideoPlatform.VSEE, "baaPlatformsOnly"));
    assertThat(audit.policyChanges(practice.id()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actorId()).isEqualTo(owner.id());
              assertThat(e.targetId()).isNull();
              assertThat(e.detail()).contains("baaCoveredPlatforms=[ZOOM,DOXY]");
            });
    assertThatThrownBy(() -> policies.change(practice.id(), provider.id(), CompliancePolicy.STRICT))
        .isInstanceOf(org.sessionbridge.core.error.ForbiddenException.class);
    assertThat(audit.policyChanges(practice.id())).hasSize(1);
    assertThat(practices.compliancePolicy(practice.id())).isEqualTo(narrowed);

    roles.revoke(practice.id(), owner.id(), provider.id());
    assertThat(practices.staff(practice.id(), provider.id()).orElseThrow().telehealthEnabled())
        .isFalse();
    assertThat(audit.roleChanges(practice.id(), provider.id()))
        .extracting(TelehealthAudit.Entry::action, TelehealthAudit.Entry::actorId)
        .containsExactly(tuple(TelehealthAudit.Action.REVOKE, owner.id()));
  }

  @Test
  void concurrentDefaultChangesLeaveExactlyOneDefault() throws Exception {
    VideoServices services = new VideoServices(jdbc, tx, practices, clock);
    List<UUID> ids = new ArrayList<>();
    for (VideoPlatform p : List.of(VideoPlatform.ZOOM, VideoPlatform.TEAMS, VideoPlatform.DOXY)) {
      ids.add(
          services
              .add(
                  practice.id(),
                  provider.id(),
                  new VideoServiceSpec(
                      p,
                      p == VideoPlatform.DOXY ? "https://doxy.me/w" : null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      false))
              .id());
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        UUID id = ids.get(i % ids.size());
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  return services.update(
                      practice.id(),
                      provider.id(),
                      id,
                      s ->
                          new VideoService(
                              s.id(),
                              s.providerId(),
                              s.platform(),
                              s.url(),
                              s.joinInstructions(),
                              true,
                              s.createdAt(),
                              s.hostAccount(),
                              s.skypeId(),
                              s.phone(),
                              s.providerInstructions(),
                              s.updatedAt()));
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(practices.videoServices(practice.id(), provider.id()))
        .filteredOn(VideoService::isDefault)
        .hasSize(1);
  }

  @Test
  void rotatingTheApiKeyLocksOutTheOldOne() {
    IssuedApiKey rotated = practices.rotateApiKey(practice.id());

    assertThat(rotated.apiKey()).isNotEqualTo(apiKey);
    assertThat(practices.findByApiKey(apiKey)).isEmpty();
    assertThat(practices.findByApiKey(rotated.apiKey()))
        .hasValueSatisfying(p -> assertThat(p.id()).isEqualTo(practice.id()));
    assertThat(rotated.practice().apiKeyHint()).isEqualTo(rotated.apiKey().substring(0, 8) + "…");
    assertThat(rotated.toString()).doesNotContain(rotated.apiKey());
  }

  @Test
  void rotatingTheKeyOfAnUnknownPracticeIsNotFound() {
    assertThatThrownBy(() -> practices.rotateApiKey(UUID.randomUUID()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void refusesASecondStaffMemberWithTheSameEmailInOnePractice() {
    assertThatThrownBy(
            () ->
                practices.createStaff(
                    practice.id(),
                    "Other",
                    " Weber@Example.org ",
                    BERLIN,
                    StaffRole.MANAGER,
                    false))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).field())
        .isEqualTo("email");
  }

  // --- tenant isolation ---------------------------------------------------------------------

  @Test
  void aPracticeCannotReachAnotherPracticesStaffClientsOrAppointments() {
    Appointment ofA = bookAt(NINE, alice).appointment();
    UUID b = practices.createPractice("Elsewhere", BERLIN).practice().id();
    Client bobOfB = practices.createClient(b, "Bob B", "bob@example.org", null);

    assertThat(practices.staff(b, provider.id())).isEmpty();
    assertThat(practices.staff(b)).isEmpty();
    assertThat(practices.client(b, alice.id())).isEmpty();
    assertThat(practices.clients(b, 10, 0)).containsExactly(bobOfB);
    assertThat(practices.videoServices(b, provider.id())).isEmpty();
    assertThat(book.find(b, ofA.id())).isEmpty();
    assertThat(book.list(b, null, NINE.minusSeconds(86_400), NINE.plusSeconds(86_400), null, 10))
        .isEmpty();
    assertThatThrownBy(() -> book.cancel(b, ofA.id(), null)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> book.change(b, ofA.id(), titled("Mine now"), null))
        .isInstanceOf(NotFoundException.class);
    assertThat(book.find(practice.id(), ofA.id()))
        .hasValueSatisfying(a -> assertThat(a.version()).isEqualTo(1));
  }

  @Test
  void aPracticeCannotBookWithAnotherPracticesProviderOrClients() {
    UUID b = practices.createPractice("Elsewhere", BERLIN).practice().id();
    Client bobOfB = practices.createClient(b, "Bob B", "bob@example.org", null);

    assertThatThrownBy(
            () ->
                book.book(
                    b,
                    request(provider.id(), NINE, FIFTY_MINUTES, List.of(bobOfB.id(), alice.id())),
                    null))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InvalidInputException.Kind.RULE);
              assertThat(e.problems())
                  .extracting(FieldProblem::field)
                  .containsExactly("providerId", "clientIds[1]");
            });
    assertThat(count("appointment")).isZero();
    assertThat(count("outbox_event")).isZero();
  }

  // --- booking ------------------------------------------------------------------------------

  @Test
  void bookingWritesTheAppointmentAndExactlyOneOutboxEvent() {
    Booked booked = bookAt(NINE, alice);
    Appointment a = booked.appointment();

    assertThat(booked.replayed()).isFalse();
    assertThat(a.version()).isEqualTo(1);
    assertThat(a.status()).isEqualTo(AppointmentStatus.BOOKED);
    assertThat(a.icalUid()).isEqualTo(a.id() + "@sessionbridge");
    assertThat(book.find(practice.id(), a.id())).contains(a);
    assertThat(count("outbox_event")).isEqualTo(1);
    assertThat(outbox.nextBatch(10))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.appointmentId()).isEqualTo(a.id());
              assertThat(e.practiceId()).isEqualTo(practice.id());
              assertThat(e.version()).isEqualTo(1);
              assertThat(e.type()).isEqualTo(ChangeType.BOOKED);
              assertThat(e.providerId()).isEqualTo(provider.id());
              assertThat(e.clientIds()).containsExactly(alice.id());
              assertThat(e.start()).isEqualTo(NINE);
              assertThat(e.end()).isEqualTo(NINE.plus(FIFTY_MINUTES));
              assertThat(e.timeZone()).isEqualTo(BERLIN);
              assertThat(e.modality()).isEqualTo(Modality.IN_PERSON);
              assertThat(e.videoPlatform()).isNull();
              assertThat(e.status()).isEqualTo(AppointmentStatus.BOOKED);
              assertThat(e.occurredAt()).isEqualTo(T0);
            });
  }

  @Test
  void bookingThatBreaksARuleWritesNothing() {
    assertThatThrownBy(
            () ->
                book.book(
                    practice.id(),
                    request(provider.id(), NINE, Duration.ZERO, List.of(alice.id())),
                    "key-1"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("end"));

    assertThat(count("appointment")).isZero();
    assertThat(count("outbox_event")).isZero();
    assertThat(count("idempotency_key")).isZero();
  }

  @Test
  void bookingIsUndoneWhenItsOutboxEventCannotBeWritten() {
    // Only the outbox refuses this title, so the appointment row is already written when it fails.
    jdbc.sql(
            "alter table outbox_event add constraint outbox_refuses_poison"
                + " check (title is null or title <> 'poison')")
        .update();
    BookingRequest poisoned =
        new BookingRequest(
            provider.id(),
            List.of(alice.id()),
            NINE,
            NINE.plus(FIFTY_MINUTES),
            BERLIN,
            Modality.IN_PERSON,
            null,
            "poison");

    assertThatThrownBy(() -> book.book(practice.id(), poisoned, "key-1"))
        .isInstanceOf(DataIntegrityViolationException.class);

    assertThat(count("appointment")).isZero();
    assertThat(count("appointment_client")).isZero();
    assertThat(count("idempotency_key")).isZero();
    assertThat(count("outbox_event")).isZero();
  }

  @Test
  void telehealthBookingWithoutAPlatformGetsTheProvidersDefaultService() {
    practices.addVideoService(
        practice.id(), provider.id(), VideoPlatform.DOXY, "https://doxy.me/weber", null, false);
    practices.addVideoService(practice.id(), provider.id(), VideoPlatform.ZOOM, null, null, true);
    BookingRequest r =
        new BookingRequest(
            provider.id(),
            List.of(alice.id()),
            NINE,
            NINE.plus(FIFTY_MINUTES),
            BERLIN,
            Modality.TELEHEALTH,
            null,
            null);

    Appointment a = book.book(practice.id(), r, null).appointment();

    assertThat(a.videoPlatform()).isEqualTo(VideoPlatform.ZOOM);
    assertThat(outbox.nextBatch(1))
        .singleElement()
        .extracting(AppointmentChange::videoPlatform)
        .isEqualTo(VideoPlatform.ZOOM);
  }

  @Test
  void repeatingABookingWithTheSameIdempotencyKeyReturnsTheSameAppointment() {
    BookingRequest r = request(provider.id(), NINE, FIFTY_MINUTES, List.of(alice.id()));

    Booked first = book.book(practice.id(), r, "retry-me");
    clock.advance(Duration.ofMinutes(5));
    Booked second = book.book(practice.id(), r, "retry-me");

    assertThat(second.replayed()).isTrue();
    assertThat(second.appointment()).isEqualTo(first.appointment());
    assertThat(count("appointment")).isEqualTo(1);
    assertThat(count("outbox_event")).isEqualTo(1);
  }

  @Test
  void reusingAnIdempotencyKeyForADifferentBookingIsAConflict() {
    book.book(practice.id(), request(provider.id(), NINE, FIFTY_MINUTES, List.of(alice.id())), "k");

    assertThatThrownBy(
            () ->
                book.book(
                    practice.id(),
                    request(provider.id(), NINE, FIFTY_MINUTES, List.of(bob.id())),
                    "k"))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.field()).isEqualTo("Idempotency-Key"));
    assertThat(count("appointment")).isEqualTo(1);
    assertThat(count("outbox_event")).isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyBelongsToOnePractice() {
    book.book(practice.id(), request(provider.id(), NINE, FIFTY_MINUTES, List.of(alice.id())), "k");
    UUID b = practices.createPractice("Elsewhere", BERLIN).practice().id();
    Staff providerOfB =
        practices.createStaff(b, "Dr. B", "b@example.org", BERLIN, StaffRole.PROVIDER, true);
    Client clientOfB = practices.createClient(b, "Carla", "carla@example.org", null);

    Booked other =
        book.book(b, request(providerOfB.id(), NINE, FIFTY_MINUTES, List.of(clientOfB.id())), "k");

    assertThat(other.replayed()).isFalse();
    assertThat(other.appointment().practiceId()).isEqualTo(b);
    assertThat(count("appointment")).isEqualTo(2);
  }

  @Test
  void racingRequestsWithOneIdempotencyKeyBookOneAppointment() throws Exception {
    BookingRequest r = request(provider.id(), NINE, FIFTY_MINUTES, List.of(alice.id()));
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch firstWrote = new CountDownLatch(1);
    CountDownLatch commitFirst = new CountDownLatch(1);
    try {
      // The first booking keeps its transaction open, so the second misses it on lookup and
      // collides with its key on insert.
      Future<Booked> first =
          threads.submit(
              () ->
                  tx.execute(
                      status -> {
                        Booked booked = book.book(practice.id(), r, "same-key");
                        firstWrote.countDown();
                        awaitQuietly(commitFirst);
                        return booked;
                      }));
      assertThat(firstWrote.await(60, TimeUnit.SECONDS)).isTrue();
      Future<Booked> second = threads.submit(() -> book.book(practice.id(), r, "same-key"));
      awaitASessionWaitingForALockIn("insert into idempotency_key%");
      commitFirst.countDown();

      Booked won = first.get(60, TimeUnit.SECONDS);
      Booked replayed = second.get(60, TimeUnit.SECONDS);
      assertThat(won.replayed()).isFalse();
      assertThat(replayed.replayed()).isTrue();
      assertThat(replayed.appointment()).isEqualTo(won.appointment());
      assertThat(count("appointment")).isEqualTo(1);
      assertThat(count("appointment_client")).isEqualTo(1);
      assertThat(count("outbox_event")).isEqualTo(1);
    } finally {
      commitFirst.countDown();
      threads.shutdownNow();
    }
  }

  // --- changes and cancellation -------------------------------------------------------------

  @Test
  void reschedulingOnlyTheStartKeepsTheLengthAndBumpsTheVersion() {
    Appointment booked = bookAt(NINE, alice).appointment();
    clock.advance(Duration.ofHours(1));
    Instant tomorrow = NINE.plus(Duration.ofDays(1));

    Appointment moved =
        book.change(
            practice.id(),
            booked.id(),
            new AppointmentPatch(tomorrow, null, null, null, null, null, null, null),
            null);

    assertThat(moved.start()).isEqualTo(tomorrow);
    assertThat(moved.end()).isEqualTo(tomorrow.plus(FIFTY_MINUTES));
    assertThat(moved.version()).isEqualTo(2);
    assertThat(moved.icalUid()).isEqualTo(booked.icalUid());
    assertThat(moved.createdAt()).isEqualTo(T0);
    assertThat(moved.updatedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(book.find(practice.id(), booked.id())).contains(moved);
    assertThat(events(booked.id()))
        .extracting(Event::version, Event::type)
        .containsExactly(tuple(1L, "BOOKED"), tuple(2L, "RESCHEDULED"));
  }

  @Test
  void aChangeThatKeepsTheTimeIsAnUpdate() {
    Appointment booked = bookAt(NINE, alice).appointment();

    Appointment renamed = book.change(practice.id(), booked.id(), titled("Follow-up"), 1L);

    assertThat(renamed.title()).isEqualTo("Follow-up");
    assertThat(renamed.version()).isEqualTo(2);
    assertThat(events(booked.id())).extracting(Event::type).containsExactly("BOOKED", "UPDATED");
  }

  @Test
  void anEmptyPatchChangesNothing() {
    Appointment booked = bookAt(NINE, alice).appointment();

    Appointment same =
        book.change(
            practice.id(),
            booked.id(),
            new AppointmentPatch(null, null, null, null, null, null, null, null),
            null);

    assertThat(same).isEqualTo(booked);
    assertThat(count("outbox_event")).isEqualTo(1);
  }

  @Test
  void aChangeBasedOnAStaleVersionIsRefused() {
    Appointment booked = bookAt(NINE, alice).appointment();
    book.change(practice.id(), booked.id(), titled("Second"), 1L);

    assertThatThrownBy(() -> book.change(practice.id(), booked.id(), titled("Third"), 1L))
        .isInstanceOfSatisfying(
            VersionMismatchException.class, e -> assertThat(e.current()).isEqualTo(2));
    assertThatThrownBy(() -> book.cancel(practice.id(), booked.id(), 1L))
        .isInstanceOf(VersionMismatchException.class);

    assertThat(book.find(practice.id(), booked.id()))
        .hasValueSatisfying(
            a -> {
              assertThat(a.version()).isEqualTo(2);
              assertThat(a.title()).isEqualTo("Second");
              assertThat(a.status()).isEqualTo(AppointmentStatus.BOOKED);
            });
    assertThat(count("outbox_event")).isEqualTo(2);
  }

  @Test
  void aChangeQueuedBehindAnotherSeesTheVersionThatOneWrote() throws Exception {
    Appointment booked = bookAt(NINE, alice).appointment();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch firstChanged = new CountDownLatch(1);
    CountDownLatch commitFirst = new CountDownLatch(1);
    try {
      Future<Appointment> first =
          threads.submit(
              () ->
                  tx.execute(
                      status -> {
                        Appointment changed =
                            book.change(practice.id(), booked.id(), titled("First"), 1L);
                        firstChanged.countDown();
                        awaitQuietly(commitFirst);
                        return changed;
                      }));
      assertThat(firstChanged.await(60, TimeUnit.SECONDS)).isTrue();
      Future<Appointment> stale =
          threads.submit(() -> book.change(practice.id(), booked.id(), titled("Stale"), 1L));
      awaitASessionWaitingForALockIn("select * from appointment where %for update%");
      commitFirst.countDown();

      assertThat(first.get(60, TimeUnit.SECONDS).version()).isEqualTo(2);
      assertThatThrownBy(() -> stale.get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(VersionMismatchException.class);
      assertThat(book.change(practice.id(), booked.id(), titled("Fresh"), 2L).version())
          .isEqualTo(3);
      assertThat(events(booked.id())).extracting(Event::version).containsExactly(1L, 2L, 3L);
    } finally {
      commitFirst.countDown();
      threads.shutdownNow();
    }
  }

  @Test
  void aChangeThatBreaksARuleLeavesTheAppointmentAsItWas() {
    Appointment booked = bookAt(NINE, alice).appointment();

    assertThatThrownBy(
            () ->
                book.change(
                    practice.id(),
                    booked.id(),
                    new AppointmentPatch(
                        null, null, null, null, VideoPlatform.ZOOM, null, null, null),
                    null))
        .isInstanceOf(InvalidInputException.class);

    assertThat(book.find(practice.id(), booked.id())).contains(booked);
    assertThat(count("outbox_event")).isEqualTo(1);
  }

  @Test
  void cancellingTwiceKeepsTheVersion() {
    Appointment booked = bookAt(NINE, alice).appointment();

    Appointment cancelled = book.cancel(practice.id(), booked.id(), 1L);
    Appointment again = book.cancel(practice.id(), booked.id(), null);

    assertThat(cancelled.status()).isEqualTo(AppointmentStatus.CANCELLED);
    assertThat(cancelled.version()).isEqualTo(2);
    assertThat(again).isEqualTo(cancelled);
    assertThat(events(booked.id())).extracting(Event::type).containsExactly("BOOKED", "CANCELLED");
    assertThatThrownBy(() -> book.change(practice.id(), booked.id(), titled("Back?"), null))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void aCompletedSessionCannotBeCancelled() {
    Appointment booked = bookAt(NINE, alice).appointment();
    Appointment done =
        book.change(
            practice.id(),
            booked.id(),
            new AppointmentPatch(
                null, null, null, null, null, null, null, AppointmentStatus.COMPLETED),
            null);

    assertThat(done.status()).isEqualTo(AppointmentStatus.COMPLETED);
    assertThatThrownBy(() -> book.cancel(practice.id(), booked.id(), null))
        .isInstanceOf(ConflictException.class);
    assertThat(events(booked.id())).extracting(Event::type).containsExactly("BOOKED", "COMPLETED");
  }

  // --- listing and group sessions -----------------------------------------------------------

  @Test
  void listsTheSessionsThatOverlapARangeByProviderAndStatus() {
    Staff other =
        practices.createStaff(
            practice.id(), "Dr. Roth", "roth@example.org", BERLIN, StaffRole.PROVIDER, true);
    Instant ten = NINE.plus(Duration.ofHours(1));
    Instant eleven = ten.plus(Duration.ofHours(1));
    UUID nineToTen = book(provider, NINE, Duration.ofHours(1));
    UUID tenToEleven = book(provider, ten, Duration.ofHours(1));
    UUID halfPastEleven = book(provider, eleven.plus(Duration.ofMinutes(30)), FIFTY_MINUTES);
    UUID othersTenToEleven = book(other, ten, Duration.ofHours(1));

    assertThat(ids(book.list(practice.id(), provider.id(), ten, eleven, null, 100)))
        .as("a session ending at the range's start or starting at its end does not overlap")
        .containsExactly(tenToEleven);
    assertThat(
            ids(
                book.list(
                    practice.id(),
                    provider.id(),
                    NINE.plus(Duration.ofMinutes(30)),
                    ten.plus(Duration.ofMinutes(30)),
                    null,
                    100)))
        .containsExactly(nineToTen, tenToEleven);
    assertThat(ids(book.list(practice.id(), null, ten, eleven, null, 100)))
        .containsExactlyInAnyOrder(tenToEleven, othersTenToEleven);
    assertThat(
            ids(
                book.list(
                    practice.id(), provider.id(), NINE, NINE.plus(Duration.ofDays(1)), null, 2)))
        .containsExactly(nineToTen, tenToEleven);

    book.cancel(practice.id(), tenToEleven, null);
    Instant dayEnd = NINE.plus(Duration.ofHours(12));
    assertThat(
            ids(
                book.list(
                    practice.id(), provider.id(), NINE, dayEnd, AppointmentStatus.CANCELLED, 100)))
        .containsExactly(tenToEleven);
    assertThat(
            ids(
                book.list(
                    practice.id(), provider.id(), NINE, dayEnd, AppointmentStatus.BOOKED, 100)))
        .containsExactly(nineToTen, halfPastEleven);
  }

  @Test
  void aGroupSessionKeepsTheOrderOfItsClients() {
    List<Client> group = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      group.add(practices.createClient(practice.id(), "C" + i, "c" + i + "@example.org", null));
    }
    // Listed against id order, so an engine that returns rows by key would be caught.
    List<UUID> ordered = group.stream().map(Client::id).sorted(Comparator.reverseOrder()).toList();

    Appointment a =
        book.book(practice.id(), request(provider.id(), NINE, FIFTY_MINUTES, ordered), null)
            .appointment();

    assertThat(a.clientIds()).containsExactlyElementsOf(ordered);
    assertThat(book.find(practice.id(), a.id()).orElseThrow().clientIds())
        .containsExactlyElementsOf(ordered);
    assertThat(book.list(practice.id(), null, NINE, NINE.plusSeconds(60), null, 10))
        .singleElement()
        .satisfies(listed -> assertThat(listed.clientIds()).containsExactlyElementsOf(ordered));
    assertThat(outbox.nextBatch(1).get(0).clientIds()).containsExactlyElementsOf(ordered);

    List<UUID> regrouped = List.of(ordered.get(3), ordered.get(0), alice.id());
    book.change(
        practice.id(),
        a.id(),
        new AppointmentPatch(null, null, null, null, null, null, regrouped, null),
        null);
    assertThat(book.find(practice.id(), a.id()).orElseThrow().clientIds())
        .containsExactlyElementsOf(regrouped);
  }

  // --- outbox ordering ----------------------------------------------------------------------

  @Test
  void nextBatchOffersOnlyTheOldestPendingEventOfEachAppointment() {
    UUID x = bookAt(NINE, alice).appointment().id();
    UUID y = bookAt(NINE, bob).appointment().id();
    book.change(practice.id(), x, titled("x2"), null);
    book.change(practice.id(), x, titled("x3"), null);

    assertThat(outbox.nextBatch(10))
        .extracting(AppointmentChange::appointmentId, AppointmentChange::version)
        .containsExactly(tuple(x, 1L), tuple(y, 1L));
    assertThat(outbox.nextBatch(1)).extracting(AppointmentChange::appointmentId).containsExactly(x);

    deliverFully(outbox.nextBatch(1).get(0));

    assertThat(outbox.nextBatch(10))
        .extracting(AppointmentChange::appointmentId, AppointmentChange::version)
        .containsExactly(tuple(y, 1L), tuple(x, 2L));
  }

  @Test
  void anEventWaitingForItsRetryHoldsBackTheLaterVersions() {
    UUID x = bookAt(NINE, alice).appointment().id();
    book.change(practice.id(), x, titled("x2"), null);
    long first = outbox.nextBatch(1).get(0).eventId();

    outbox.recordFailure(first, "zoom", new IllegalStateException("503"), 5, Duration.ofMinutes(1));

    assertThat(outbox.nextBatch(10)).isEmpty();
    clock.advance(Duration.ofSeconds(59));
    assertThat(outbox.nextBatch(10)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(outbox.nextBatch(10))
        .extracting(AppointmentChange::eventId, AppointmentChange::version)
        .containsExactly(tuple(first, 1L));
  }

  // --- delivery -----------------------------------------------------------------------------

  @Test
  void deliverRunsEachHandlerOncePerEvent() {
    bookAt(NINE, alice);
    AppointmentChange event = outbox.nextBatch(1).get(0);
    List<AppointmentChange> seen = new ArrayList<>();

    assertThat(outbox.deliver(event.eventId(), "calendar", seen::add))
        .isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(outbox.deliver(event.eventId(), "calendar", seen::add))
        .isEqualTo(DeliveryOutcome.ALREADY_DONE);
    assertThat(seen).containsExactly(event);

    assertThat(outbox.deliver(event.eventId(), "zoom", seen::add))
        .isEqualTo(DeliveryOutcome.DELIVERED);
    outbox.markDelivered(event.eventId());
    assertThat(outbox.deliver(event.eventId(), "reminders", seen::add))
        .isEqualTo(DeliveryOutcome.NOT_PENDING);
    assertThat(seen).hasSize(2);
    assertThat(outbox.nextBatch(10)).isEmpty();
    assertThat(outbox.stats()).isEqualTo(new OutboxStats(0, 1, 0, Optional.empty()));
  }

  @Test
  void deliverLeavesAnEventAloneThatFailedSinceItWasBatched() {
    bookAt(NINE, alice);
    AppointmentChange batched = outbox.nextBatch(1).get(0);
    outbox.recordFailure(
        batched.eventId(), "zoom", new IllegalStateException("503"), 5, Duration.ofMinutes(1));
    List<AppointmentChange> seen = new ArrayList<>();

    assertThat(outbox.deliver(batched.eventId(), "calendar", seen::add))
        .isEqualTo(DeliveryOutcome.NOT_PENDING);
    assertThat(seen).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    assertThat(outbox.deliver(batched.eventId(), "calendar", seen::add))
        .isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(seen).containsExactly(batched);
  }

  @Test
  void aFailingHandlerLeavesNoWritesBehindAndTheEventPending() {
    jdbc.sql("create table handler_journal (event_id bigint not null, note varchar(100))").update();
    bookAt(NINE, alice);
    long eventId = outbox.nextBatch(1).get(0).eventId();
    Consumer<AppointmentChange> writesThenFails =
        change -> {
          journal(change, "half-done");
          throw new IllegalStateException("vendor said no");
        };

    assertThatThrownBy(() -> outbox.deliver(eventId, "zoom", writesThenFails))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vendor said no");

    assertThat(count("handler_journal")).isZero();
    assertThat(count("outbox_handler_done")).isZero();
    assertThat(outbox.nextBatch(10))
        .extracting(AppointmentChange::eventId)
        .containsExactly(eventId);

    assertThat(outbox.deliver(eventId, "zoom", change -> journal(change, "done")))
        .isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(jdbc.sql("select note from handler_journal").query(String.class).list())
        .containsExactly("done");
    assertThat(count("outbox_handler_done")).isEqualTo(1);
  }

  @Test
  void twoThreadsDeliveringTheSameEventRunTheHandlerOnce() throws Exception {
    bookAt(NINE, alice);
    long eventId = outbox.nextBatch(1).get(0).eventId();
    CountDownLatch insideHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Consumer<AppointmentChange> slowHandler =
        change -> {
          runs.incrementAndGet();
          insideHandler.countDown();
          awaitQuietly(release);
        };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<DeliveryOutcome> first =
          threads.submit(() -> outbox.deliver(eventId, "zoom", slowHandler));
      assertThat(insideHandler.await(60, TimeUnit.SECONDS)).isTrue();

      Future<DeliveryOutcome> second =
          threads.submit(() -> outbox.deliver(eventId, "zoom", slowHandler));
      // The second delivery must be queued on the event's row lock before the first one commits.
      awaitASessionWaitingForALockIn("select * from outbox_event where %for update%");
      release.countDown();

      assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(DeliveryOutcome.DELIVERED);
      assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(DeliveryOutcome.ALREADY_DONE);
      assertThat(runs).hasValue(1);
      assertThat(count("outbox_handler_done")).isEqualTo(1);
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  // --- failures, dead letters and replay ----------------------------------------------------

  @Test
  void failuresBackOffAndTheEventIsDeadLetteredAtMaxAttempts() {
    UUID x = bookAt(NINE, alice).appointment().id();
    book.change(practice.id(), x, titled("x2"), null);
    long eventId = outbox.nextBatch(1).get(0).eventId();
    Duration backoff = Duration.ofSeconds(30);

    assertThat(outbox.recordFailure(eventId, "zoom", new IllegalStateException("503"), 3, backoff))
        .isFalse();
    assertThat(outbox.attempts(eventId)).isEqualTo(1);
    assertThat(outbox.nextBatch(10)).isEmpty();
    clock.advance(backoff);
    assertThat(outbox.nextBatch(10))
        .extracting(AppointmentChange::eventId)
        .containsExactly(eventId);

    assertThat(outbox.recordFailure(eventId, "zoom", new IllegalStateException("503"), 3, backoff))
        .isFalse();
    clock.advance(backoff);
    assertThat(
            outbox.recordFailure(
                eventId, "zoom", new IllegalArgumentException("meeting refused"), 3, backoff))
        .isTrue();

    assertThat(outbox.deadLetters(10, 0))
        .singleElement()
        .isEqualTo(
            new DeadLetter(
                eventId,
                practice.id(),
                x,
                1,
                ChangeType.BOOKED,
                3,
                "zoom",
                "java.lang.IllegalArgumentException: meeting refused",
                T0,
                T0.plus(backoff).plus(backoff)));
    assertThat(outbox.deadLetter(eventId)).isPresent();
    assertThat(outbox.recordFailure(eventId, "zoom", new IllegalStateException("late"), 3, backoff))
        .as("a dead letter takes no more failures")
        .isFalse();
    assertThat(outbox.nextBatch(10))
        .as("the appointment's later events move on")
        .extracting(AppointmentChange::appointmentId, AppointmentChange::version)
        .containsExactly(tuple(x, 2L));
    OutboxStats stats = outbox.stats();
    assertThat(stats.pending()).isEqualTo(1);
    assertThat(stats.dead()).isEqualTo(1);
  }

  @Test
  void replayPutsADeadLetterBackWithoutRerunningHandlersThatTookIt() {
    bookAt(NINE, alice);
    long eventId = outbox.nextBatch(1).get(0).eventId();
    List<String> calls = new ArrayList<>();
    outbox.deliver(eventId, "calendar", change -> calls.add("calendar"));
    assertThat(
            outbox.recordFailure(
                eventId, "zoom", new IllegalStateException("down"), 1, Duration.ofMinutes(1)))
        .isTrue();
    assertThat(outbox.nextBatch(10)).isEmpty();
    clock.advance(Duration.ofHours(1));

    assertThat(outbox.replay(eventId)).isTrue();

    assertThat(outbox.attempts(eventId)).isZero();
    assertThat(outbox.deadLetters(10, 0)).isEmpty();
    assertThat(outbox.nextBatch(10))
        .extracting(AppointmentChange::eventId)
        .containsExactly(eventId);
    assertThat(outbox.deliver(eventId, "calendar", change -> calls.add("calendar")))
        .isEqualTo(DeliveryOutcome.ALREADY_DONE);
    assertThat(outbox.deliver(eventId, "zoom", change -> calls.add("zoom")))
        .isEqualTo(DeliveryOutcome.DELIVERED);
    outbox.markDelivered(eventId);
    assertThat(calls).containsExactly("calendar", "zoom");
    assertThat(outbox.replay(eventId)).as("only dead letters can be replayed").isFalse();
    assertThat(outbox.replay(eventId + 1000)).isFalse();
  }

  @Test
  void purgeDeletesOnlyDeliveredEventsOlderThanTheRetention() {
    Duration retention = Duration.ofDays(7);
    UUID old = bookAt(NINE, alice).appointment().id();
    deliverFully(outbox.nextBatch(1).get(0));
    clock.advance(Duration.ofDays(3));
    UUID recent = bookAt(NINE, bob).appointment().id();
    deliverFully(outbox.nextBatch(1).get(0));
    UUID dead = bookAt(NINE.plusSeconds(7200), alice).appointment().id();
    outbox.recordFailure(
        outbox.nextBatch(1).get(0).eventId(),
        "zoom",
        new IllegalStateException("down"),
        1,
        Duration.ZERO);
    UUID pending = bookAt(NINE.plusSeconds(14_400), bob).appointment().id();
    clock.advance(Duration.ofDays(5));

    assertThat(outbox.purgeDelivered(retention)).isEqualTo(1);

    assertThat(jdbc.sql("select appointment_id from outbox_event").query(UUID.class).list())
        .containsExactlyInAnyOrder(recent, dead, pending)
        .doesNotContain(old);
    assertThat(count("outbox_handler_done")).isEqualTo(1);
    assertThat(outbox.stats())
        .isEqualTo(new OutboxStats(1, 1, 1, Optional.of(T0.plus(Duration.ofDays(3)))));
    assertThat(outbox.purgeDelivered(retention)).isZero();
  }

  // --- feeds -------------------------------------------------------------------------------

  @Test
  void aFeedSecretResolvesOnlyItselfAndIsNotStored() {
    FeedStore feeds = new FeedStore(jdbc, clock);
    IssuedFeed issued = feeds.issue(practice.id(), FeedOwner.PROVIDER, provider.id(), "phone");

    assertThat(issued.secret()).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
    assertThat(feeds.resolve(issued.secret())).contains(issued.feed());
    assertThat(feeds.resolve(issued.secret() + "x")).isEmpty();
    assertThat(
            jdbc.sql("select count(*) from feed where secret_hash = :s")
                .param("s", issued.secret())
                .query(Long.class)
                .single())
        .isZero();
    assertThat(issued.toString()).doesNotContain(issued.secret());
  }

  @Test
  void aRevokedFeedStillResolvesAsRevokedAndOnlyItsPracticeMayRevokeIt() {
    FeedStore feeds = new FeedStore(jdbc, clock);
    IssuedFeed issued = feeds.issue(practice.id(), FeedOwner.CLIENT, alice.id(), null);
    Practice other = practices.createPractice("Elsewhere", BERLIN).practice();

    assertThat(feeds.revoke(other.id(), issued.feed().id())).isFalse();
    assertThat(feeds.resolve(issued.secret()).orElseThrow().revoked()).isFalse();
    clock.advance(Duration.ofMinutes(5));
    assertThat(feeds.revoke(practice.id(), issued.feed().id())).isTrue();
    Feed revoked = feeds.resolve(issued.secret()).orElseThrow();
    assertThat(revoked.revoked()).isTrue();
    assertThat(revoked.revokedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(feeds.feeds(practice.id(), FeedOwner.CLIENT, alice.id())).containsExactly(revoked);
  }

  @Test
  void feedSessionsListTheOwnersSessionsInTheWindowAndRecentCancellations() {
    Instant from = NINE.minus(Duration.ofDays(1));
    Instant to = NINE.plus(Duration.ofDays(30));
    UUID aliceAlone = bookAt(NINE, alice).appointment().id();
    UUID group =
        book.book(
                practice.id(),
                request(
                    provider.id(),
                    NINE.plus(Duration.ofDays(1)),
                    FIFTY_MINUTES,
                    List.of(alice.id(), bob.id())),
                null)
            .appointment()
            .id();
    UUID bobAlone = bookAt(NINE.plus(Duration.ofDays(2)), bob).appointment().id();
    bookAt(NINE.plus(Duration.ofDays(60)), alice); // after the window
    UUID endedBefore = bookAt(NINE.minus(Duration.ofDays(3)), alice).appointment().id();
    UUID cancelledLongAgo = bookAt(NINE.plus(Duration.ofDays(3)), alice).appointment().id();
    book.cancel(practice.id(), cancelledLongAgo, null);
    clock.advance(Duration.ofDays(10));
    UUID cancelledRecently = bookAt(NINE.plus(Duration.ofDays(4)), alice).appointment().id();
    book.cancel(practice.id(), cancelledRecently, null);
    Instant cancelledSince = clock.instant().minus(Duration.ofDays(7));

    FeedWindow forProvider =
        book.feedSessions(practice.id(), true, provider.id(), from, to, cancelledSince);
    assertThat(forProvider.sessions())
        .extracting(Appointment::id)
        .containsExactly(aliceAlone, group, bobAlone, cancelledRecently);
    assertThat(forProvider.lastEndedBefore())
        .isEqualTo(NINE.minus(Duration.ofDays(3)).plus(FIFTY_MINUTES));
    assertThat(forProvider.lastCancelledBefore()).isEqualTo(T0);

    assertThat(
            book.feedSessions(practice.id(), false, alice.id(), from, to, cancelledSince)
                .sessions())
        .extracting(Appointment::id)
        .containsExactly(aliceAlone, group, cancelledRecently);
    FeedWindow forBob = book.feedSessions(practice.id(), false, bob.id(), from, to, cancelledSince);
    assertThat(forBob.sessions()).extracting(Appointment::id).containsExactly(group, bobAlone);
    assertThat(forBob.lastEndedBefore()).isNull();
    assertThat(endedBefore).isNotNull();
  }

  @Test
  void practiceSettingsStartWithInitialsAndChangeOneAtATime() {
    PracticeSettings initial = practices.settings(practice.id());
    assertThat(initial.feedClientLabel()).isEqualTo(ClientLabel.INITIALS);
    assertThat(initial.location()).isNull();
    assertThat(initial.updatedAt()).isNull();

    clock.advance(Duration.ofHours(1));
    practices.updateSettings(practice.id(), "Lindenstraße 4, 10969 Berlin", null);
    PracticeSettings changed = practices.updateSettings(practice.id(), null, ClientLabel.REFERENCE);
    assertThat(changed.location()).isEqualTo("Lindenstraße 4, 10969 Berlin");
    assertThat(changed.feedClientLabel()).isEqualTo(ClientLabel.REFERENCE);
    assertThat(changed.updatedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  // --- connections -------------------------------------------------------------------------

  @Test
  void connectionSecretsAreSealedPerRecordAndResealedAfterKeyRotation() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    new java.security.SecureRandom().nextBytes(k1);
    new java.security.SecureRandom().nextBytes(k2);
    ConnectionStore first =
        new ConnectionStore(jdbc, tx, new SecretBox(java.util.Map.of("k1", k1), "k1"), clock);
    Connection saved =
        first.save(practice.id(), Connection.Kind.ZOOM, "acc-1", "client-1", "s3cret-1");
    assertThat(saved.status()).isEqualTo("CONNECTED");
    assertThat(saved.checkedAt()).isEqualTo(T0);
    assertThat(jdbc.sql("select secret_sealed from connection").query(String.class).single())
        .startsWith("v1:k1:")
        .doesNotContain("s3cret-1");
    assertThat(first.secret(practice.id(), Connection.Kind.ZOOM)).contains("s3cret-1");
    assertThat(first.secret(practice.id(), Connection.Kind.MICROSOFT)).isEmpty();

    first.save(practice.id(), Connection.Kind.ZOOM, "acc-2", "client-2", "s3cret-2");
    assertThat(first.find(practice.id(), Connection.Kind.ZOOM).orElseThrow().accountRef())
        .isEqualTo("acc-2");
    assertThat(count("connection")).isEqualTo(1);

    // A sealed value copied to another practice's row does not open there.
    Practice other = practices.createPractice("Other", BERLIN).practice();
    first.save(other.id(), Connection.Kind.ZOOM, "acc-x", "client-x", "other-secret");
    jdbc.sql(
            "update connection set secret_sealed = (select secret_sealed from connection where"
                + " practice_id = :p) where practice_id = :o")
        .param("p", practice.id())
        .param("o", other.id())
        .update();
    assertThatThrownBy(() -> first.secret(other.id(), Connection.Kind.ZOOM))
        .isInstanceOf(SecretBox.SealedValueException.class);

    ConnectionStore rotated =
        new ConnectionStore(
            jdbc, tx, new SecretBox(java.util.Map.of("k1", k1, "k2", k2), "k2"), clock);
    jdbc.sql("delete from connection where practice_id = :o").param("o", other.id()).update();
    assertThat(rotated.resealWithActiveKey()).isEqualTo(1);
    assertThat(rotated.resealWithActiveKey()).isZero();
    ConnectionStore onlyNewKey =
        new ConnectionStore(jdbc, tx, new SecretBox(java.util.Map.of("k2", k2), "k2"), clock);
    assertThat(onlyNewKey.secret(practice.id(), Connection.Kind.ZOOM)).contains("s3cret-2");
  }

  // --- helpers ------------------------------------------------------------------------------

  record Event(long version, String type, String state) {}

  Booked bookAt(Instant start, Client client) {
    return book.book(
        practice.id(), request(provider.id(), start, FIFTY_MINUTES, List.of(client.id())), null);
  }

  UUID book(Staff who, Instant start, Duration length) {
    return book.book(practice.id(), request(who.id(), start, length, List.of(alice.id())), null)
        .appointment()
        .id();
  }

  static BookingRequest request(
      UUID providerId, Instant start, Duration length, List<UUID> clientIds) {
    return new BookingRequest(
        providerId,
        clientIds,
        start,
        start.plus(length),
        BERLIN,
        Modality.IN_PERSON,
        null,
        "Intake");
  }

  static AppointmentPatch titled(String title) {
    return new AppointmentPatch(null, null, null, null, null, title, null, null);
  }

  static List<UUID> ids(List<Appointment> appointments) {
    return appointments.stream().map(Appointment::id).toList();
  }

  /** Delivers to one handler and marks the event delivered, as the dispatcher does. */
  void deliverFully(AppointmentChange event) {
    assertThat(outbox.deliver(event.eventId(), "calendar", change -> {}))
        .isEqualTo(DeliveryOutcome.DELIVERED);
    outbox.markDelivered(event.eventId());
  }

  void journal(AppointmentChange change, String note) {
    jdbc.sql("insert into handler_journal (event_id, note) values (:id, :note)")
        .param("id", change.eventId())
        .param("note", note)
        .update();
  }

  List<Event> events(UUID appointmentId) {
    return jdbc.sql(
            "select appointment_version, change_type, delivery_state from outbox_event"
                + " where appointment_id = :a order by appointment_version")
        .param("a", appointmentId)
        .query(
            (rs, n) ->
                new Event(
                    rs.getLong("appointment_version"),
                    rs.getString("change_type"),
                    rs.getString("delivery_state")))
        .list();
  }

  /** Waits until another thread is blocked on a lock in a statement matching {@code pattern}. */
  void awaitASessionWaitingForALockIn(String pattern) {
    await("another session to queue on a lock in: " + pattern)
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql(countSessionsWaitingForALock())
                        .param("statement", pattern)
                        .query(Long.class)
                        .single()
                    > 0);
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released this thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while holding a lock for the test", e);
    }
  }

  long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }
}
