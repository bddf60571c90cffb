package org.sessionbridge.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentPatch;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Booked;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.availability.Availability;
import org.sessionbridge.core.availability.SectionModality;
import org.sessionbridge.core.availability.Slot;
import org.sessionbridge.core.availability.SlotQuery;
import org.sessionbridge.core.availability.WorkingHoursStore;
import org.sessionbridge.core.availability.WorkingSection;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
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
 * What working hours and availability promise, whatever the database: sections stored per practice,
 * slots without booked sessions and busy time, bookings refused outside availability unless forced,
 * and two bookings of one provider checked one after the other (no double booking). Each engine's
 * test supplies an empty database per test; the contract migrates it with the real Flyway scripts.
 */
abstract class AvailabilityContract {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  // Monday 2030-03-04, New York (EST, -05:00).
  static final Instant MONDAY_NINE = at("2030-03-04T09:00-05:00");
  static final Duration FIFTY = Duration.ofMinutes(50);

  final MutableClock clock = new MutableClock(Instant.parse("2030-03-01T08:00:00Z"));
  JdbcClient jdbc;
  TransactionTemplate tx;
  PracticeStore practices;
  CalendarStore calendars;
  Availability availability;
  AppointmentBook book;

  Practice practice;
  Staff provider;
  Client alice;
  Client bob;

  protected abstract DataSource newDatabase();

  /** As in {@link PracticeStoreContract#countSessionsWaitingForALock()}. */
  protected abstract String countSessionsWaitingForALock();

  @BeforeEach
  void migrateAndGiveAProviderWorkingHours() {
    DataSource dataSource = newDatabase();
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    jdbc = JdbcClient.create(dataSource);
    tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    practices = new PracticeStore(jdbc, tx, clock);
    calendars = new CalendarStore(jdbc, tx, clock);
    availability =
        new Availability(jdbc, tx, new WorkingHoursStore(jdbc, tx, clock), practices, calendars);
    book =
        new AppointmentBook(
            jdbc, tx, practices, new OutboxStore(jdbc, tx, clock), availability, clock);

    practice = practices.createPractice("Harbor Counseling", NEW_YORK).practice();
    provider =
        practices.createStaff(
            practice.id(), "Dr. Chen", "chen@example.org", NEW_YORK, StaffRole.PROVIDER, true);
    practices.addVideoService(
        practice.id(), provider.id(), VideoPlatform.DOXY, "https://doxy.me/chen", null, true);
    practices.addVideoService(practice.id(), provider.id(), VideoPlatform.ZOOM, null, null, false);
    alice = practices.createClient(practice.id(), "Alice", "alice@example.org", null);
    bob = practices.createClient(practice.id(), "Bob", "bob@example.org", null);
    availability.replaceWorkingHours(
        practice.id(),
        provider.id(),
        List.of(
            section(DayOfWeek.MONDAY, "09:00", "12:00", SectionModality.IN_PERSON, null),
            section(
                DayOfWeek.MONDAY,
                "13:00",
                "17:00",
                SectionModality.TELEHEALTH,
                EnumSet.of(VideoPlatform.ZOOM)),
            section(DayOfWeek.TUESDAY, "09:00", "12:00", SectionModality.BOTH, null)));
  }

  // --- working hours -------------------------------------------------------------------------

  @Test
  void workingHoursAreStoredAsSentAndReadBackByDayAndStart() {
    List<WorkingSection> read = availability.workingHours(practice.id(), provider.id());
    assertThat(read)
        .containsExactly(
            section(DayOfWeek.MONDAY, "09:00", "12:00", SectionModality.IN_PERSON, null),
            section(
                DayOfWeek.MONDAY,
                "13:00",
                "17:00",
                SectionModality.TELEHEALTH,
                EnumSet.of(VideoPlatform.ZOOM)),
            section(DayOfWeek.TUESDAY, "09:00", "12:00", SectionModality.BOTH, null));
  }

  @Test
  void replacingWorkingHoursReplacesThemAllAndAnEmptyListRemovesThem() {
    availability.replaceWorkingHours(
        practice.id(),
        provider.id(),
        List.of(section(DayOfWeek.FRIDAY, "08:30", "12:15", SectionModality.BOTH, null)));
    assertThat(availability.workingHours(practice.id(), provider.id()))
        .extracting(WorkingSection::day, WorkingSection::start)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(DayOfWeek.FRIDAY, LocalTime.of(8, 30)));
    availability.replaceWorkingHours(practice.id(), provider.id(), List.of());
    assertThat(availability.workingHours(practice.id(), provider.id())).isEmpty();
    // Without sections nothing is checked: any time books, as before working hours existed.
    assertThat(bookAt(at("2030-03-09T03:00-05:00"), Modality.IN_PERSON, null, false)).isNotNull();
  }

  @Test
  void workingHoursThatBreakARuleLeaveTheOldOnes() {
    assertThatThrownBy(
            () ->
                availability.replaceWorkingHours(
                    practice.id(),
                    provider.id(),
                    List.of(
                        section(DayOfWeek.MONDAY, "09:00", "12:00", SectionModality.BOTH, null),
                        section(
                            DayOfWeek.MONDAY,
                            "11:00",
                            "13:00",
                            SectionModality.TELEHEALTH,
                            EnumSet.of(VideoPlatform.VSEE)))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e ->
                assertThat(e.problems())
                    .extracting(FieldProblem::field)
                    .containsExactly("[1].platforms", "[1].start"));
    assertThat(availability.workingHours(practice.id(), provider.id())).hasSize(3);
  }

  @Test
  void anotherPracticeCannotReadOrReplaceTheWorkingHours() {
    Practice other = practices.createPractice("Elsewhere", NEW_YORK).practice();
    assertThat(availability.workingHours(other.id(), provider.id())).isEmpty();
    assertThatThrownBy(() -> availability.replaceWorkingHours(other.id(), provider.id(), List.of()))
        .isInstanceOf(NotFoundException.class);
    assertThat(availability.workingHours(practice.id(), provider.id())).hasSize(3);
  }

  // --- slots ---------------------------------------------------------------------------------

  @Test
  void slotsLeaveOutBookedSessionsAndBusyTimeButNotCancelledSessions() {
    Appointment booked = bookAt(at("2030-03-04T10:00-05:00"), Modality.IN_PERSON, null, false);
    CalendarLink google =
        calendars.link(
            practice.id(),
            provider.id(),
            CalendarLink.Kind.GOOGLE,
            "primary",
            true,
            Removal.DELETE);
    jdbc.sql(
            "insert into busy_block (link_id, external_id, start_at, end_at, all_day, updated_at)"
                + " values (:link, 'dentist', :s, :e, false, :s)")
        .param("link", google.id())
        .param("s", SqlTime.utc(at("2030-03-04T11:00-05:00")))
        .param("e", SqlTime.utc(at("2030-03-04T11:30-05:00")))
        .update();

    assertThat(mondayMorningSlots()).containsExactly("09:00");
    book.cancel(practice.id(), booked.id(), null);
    assertThat(mondayMorningSlots()).containsExactly("09:00", "10:00");
  }

  @Test
  void slotsOfATelehealthSectionNameItsVideoServices() {
    List<Slot> slots =
        availability.slots(
            practice.id(),
            provider,
            new SlotQuery(
                at("2030-03-04T13:00-05:00"),
                at("2030-03-04T14:00-05:00"),
                Duration.ofMinutes(60),
                Duration.ofMinutes(60),
                EnumSet.allOf(Modality.class)));
    assertThat(slots).hasSize(1);
    assertThat(slots.get(0).modalities()).containsExactly(Modality.TELEHEALTH);
    assertThat(slots.get(0).platforms()).containsExactly(VideoPlatform.ZOOM);
  }

  // --- bookings ------------------------------------------------------------------------------

  @Test
  void aBookingInsideWorkingHoursIsTaken() {
    assertThat(bookAt(MONDAY_NINE, Modality.IN_PERSON, null, false).status())
        .isEqualTo(AppointmentStatus.BOOKED);
    assertThat(
            bookAt(at("2030-03-04T13:00-05:00"), Modality.TELEHEALTH, VideoPlatform.ZOOM, false)
                .videoPlatform())
        .isEqualTo(VideoPlatform.ZOOM);
  }

  @Test
  void bookingsOutsideAvailabilityAreRefusedWithTheFieldToChange() {
    assertRefused(at("2030-03-04T08:00-05:00"), Modality.IN_PERSON, null, "start");
    assertRefused(
        at("2030-03-04T09:00-05:00"), Modality.TELEHEALTH, VideoPlatform.ZOOM, "modality");
    assertRefused(
        at("2030-03-04T13:00-05:00"), Modality.TELEHEALTH, VideoPlatform.DOXY, "videoPlatform");
    // Without a platform the provider's default service (DOXY) is what is checked.
    assertRefused(at("2030-03-04T13:00-05:00"), Modality.TELEHEALTH, null, "videoPlatform");
    assertThat(count("appointment")).isZero();
  }

  @Test
  void busyTimeFromALinkedCalendarRefusesTheBooking() {
    CalendarLink google =
        calendars.link(
            practice.id(),
            provider.id(),
            CalendarLink.Kind.GOOGLE,
            "primary",
            true,
            Removal.DELETE);
    jdbc.sql(
            "insert into busy_block (link_id, external_id, start_at, end_at, all_day, updated_at)"
                + " values (:link, 'dentist', :s, :e, false, :s)")
        .param("link", google.id())
        .param("s", SqlTime.utc(MONDAY_NINE.plus(Duration.ofMinutes(30))))
        .param("e", SqlTime.utc(MONDAY_NINE.plus(Duration.ofMinutes(60))))
        .update();
    assertRefused(MONDAY_NINE, Modality.IN_PERSON, null, "start");
  }

  @Test
  void aSecondSessionAtTheSameTimeIsAConflict() {
    bookAt(MONDAY_NINE, Modality.IN_PERSON, null, false);
    assertThatThrownBy(
            () -> bookAt(MONDAY_NINE.plus(Duration.ofMinutes(30)), Modality.IN_PERSON, null, false))
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.field()).isEqualTo("start"));
    assertThat(count("appointment")).isEqualTo(1);
  }

  @Test
  void aForcedBookingIsTakenAnyway() {
    bookAt(MONDAY_NINE, Modality.IN_PERSON, null, false);
    assertThat(bookAt(MONDAY_NINE, Modality.IN_PERSON, null, true).status())
        .isEqualTo(AppointmentStatus.BOOKED);
    assertThat(bookAt(at("2030-03-09T22:00-05:00"), Modality.TELEHEALTH, VideoPlatform.DOXY, true))
        .isNotNull();
    assertThat(count("appointment")).isEqualTo(3);
  }

  @Test
  void reschedulesAreCheckedButASessionDoesNotClashWithItself() {
    Appointment booked = bookAt(MONDAY_NINE, Modality.IN_PERSON, null, false);
    Appointment later =
        book.change(
            practice.id(),
            booked.id(),
            new AppointmentPatch(
                MONDAY_NINE.plus(Duration.ofMinutes(30)), null, null, null, null, null, null, null),
            null);
    assertThat(later.version()).isEqualTo(2);

    assertThatThrownBy(
            () ->
                book.change(
                    practice.id(),
                    booked.id(),
                    new AppointmentPatch(
                        at("2030-03-04T12:30-05:00"), null, null, null, null, null, null, null),
                    null))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("start"));
    assertThat(book.find(practice.id(), booked.id()).orElseThrow().version()).isEqualTo(2);

    Appointment forced =
        book.change(
            practice.id(),
            booked.id(),
            new AppointmentPatch(
                at("2030-03-04T12:30-05:00"), null, null, null, null, null, null, null, true),
            null);
    assertThat(forced.start()).isEqualTo(at("2030-03-04T12:30-05:00"));
    // A change that does not move the session is not checked again.
    assertThat(
            book.change(
                    practice.id(),
                    booked.id(),
                    new AppointmentPatch(null, null, null, null, null, "Intake", null, null),
                    null)
                .title())
        .isEqualTo("Intake");
  }

  @Test
  void twoBookingsOfOneProviderAreCheckedOneAfterTheOther() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch firstBooked = new CountDownLatch(1);
    CountDownLatch commitFirst = new CountDownLatch(1);
    try {
      // The first booking keeps its transaction (and the provider's lock) open; the second must
      // wait for it, and then sees its session.
      Future<Booked> first =
          threads.submit(
              () ->
                  tx.execute(
                      status -> {
                        Booked b = book.book(practice.id(), request(alice, MONDAY_NINE), null);
                        firstBooked.countDown();
                        PracticeStoreContract.awaitQuietly(commitFirst);
                        return b;
                      }));
      assertThat(firstBooked.await(60, TimeUnit.SECONDS)).isTrue();
      Future<Booked> second =
          threads.submit(() -> book.book(practice.id(), request(bob, MONDAY_NINE), null));
      awaitASessionWaitingForALockIn("select time_zone from staff%for update%");
      commitFirst.countDown();

      assertThat(first.get(60, TimeUnit.SECONDS).appointment().clientIds())
          .containsExactly(alice.id());
      assertThatThrownBy(() -> second.get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ConflictException.class);
      assertThat(count("appointment")).isEqualTo(1);
    } finally {
      commitFirst.countDown();
      threads.shutdownNow();
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private List<String> mondayMorningSlots() {
    return availability
        .slots(
            practice.id(),
            provider,
            new SlotQuery(
                at("2030-03-04T00:00-05:00"),
                at("2030-03-05T00:00-05:00"),
                Duration.ofMinutes(60),
                Duration.ofMinutes(60),
                EnumSet.of(Modality.IN_PERSON)))
        .stream()
        .map(s -> s.start().atZone(NEW_YORK).toLocalTime().toString())
        .toList();
  }

  private void assertRefused(
      Instant start, Modality modality, @Nullable VideoPlatform platform, String field) {
    assertThatThrownBy(() -> bookAt(start, modality, platform, false))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(InvalidInputException.Kind.RULE);
              assertThat(e.problems()).extracting(FieldProblem::field).containsExactly(field);
            });
  }

  private Appointment bookAt(
      Instant start, Modality modality, @Nullable VideoPlatform platform, boolean force) {
    return book.book(
            practice.id(),
            new BookingRequest(
                provider.id(),
                List.of(alice.id()),
                start,
                start.plus(FIFTY),
                NEW_YORK,
                modality,
                platform,
                null,
                force),
            null)
        .appointment();
  }

  private BookingRequest request(Client client, Instant start) {
    return new BookingRequest(
        provider.id(),
        List.of(client.id()),
        start,
        start.plus(FIFTY),
        NEW_YORK,
        Modality.IN_PERSON,
        null,
        null);
  }

  static WorkingSection section(
      DayOfWeek day,
      String start,
      String end,
      SectionModality modality,
      @Nullable Set<VideoPlatform> platforms) {
    return new WorkingSection(
        day, LocalTime.parse(start), LocalTime.parse(end), modality, platforms);
  }

  static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  private void awaitASessionWaitingForALockIn(String pattern) {
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

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }
}
