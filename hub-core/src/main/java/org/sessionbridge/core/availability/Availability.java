package org.sessionbridge.core.availability;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.BookingCheck;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * A provider's availability: their working sections minus booked sessions (not cancelled) minus
 * busy time from their linked calendars; and the {@link BookingCheck} that keeps bookings inside
 * it.
 *
 * <p>Only providers with working sections are checked: without any, every time is bookable, as it
 * was before working hours existed (and no slots are offered). A checked booking locks the
 * provider's row ({@code select ... for update}) before it reads the provider's sessions, so two
 * bookings of one provider are checked one after the other and cannot both take the same time.
 */
public final class Availability implements BookingCheck {

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final WorkingHoursStore hours;
  private final PracticeStore practices;
  private final CalendarStore calendars;

  public Availability(
      JdbcClient jdbc,
      TransactionOperations tx,
      WorkingHoursStore hours,
      PracticeStore practices,
      CalendarStore calendars) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.hours = hours;
    this.practices = practices;
    this.calendars = calendars;
  }

  public List<WorkingSection> workingHours(UUID practiceId, UUID providerId) {
    return hours.sections(practiceId, providerId);
  }

  /**
   * Replaces the provider's weekly sections after checking them ({@link WorkingHoursRules}); an
   * empty list removes them, and with them the checking of the provider's bookings.
   */
  public List<WorkingSection> replaceWorkingHours(
      UUID practiceId, UUID providerId, List<WorkingSection> sections) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              lockProvider(practiceId, providerId);
              List<FieldProblem> problems =
                  WorkingHoursRules.check(sections, services(practiceId, providerId));
              if (!problems.isEmpty()) {
                throw new InvalidInputException(InvalidInputException.Kind.RULE, problems);
              }
              hours.replace(practiceId, providerId, sections);
              return hours.sections(practiceId, providerId);
            }));
  }

  /** The provider's bookable slots (see {@link SlotCalculator}); none without working sections. */
  public List<Slot> slots(UUID practiceId, Staff provider, SlotQuery query) {
    List<WorkingSection> sections = hours.sections(practiceId, provider.id());
    if (sections.isEmpty()) {
      return List.of();
    }
    Instant until = query.to().plus(query.duration());
    List<Span> taken =
        new ArrayList<>(sessions(practiceId, provider.id(), query.from(), until, null));
    for (BusyBlock b : calendars.busyBetween(provider.id(), query.from(), until)) {
      taken.add(new Span(b.start(), b.end()));
    }
    return SlotCalculator.slots(
        sections, provider.timeZone(), services(practiceId, provider.id()), taken, query);
  }

  @Override
  public void check(
      UUID practiceId,
      UUID providerId,
      Instant start,
      Instant end,
      Modality modality,
      @Nullable VideoPlatform platform,
      @Nullable UUID rescheduled) {
    if (!end.isAfter(start) || !hours.hasSections(practiceId, providerId)) {
      return;
    }
    ZoneId zone = lockProvider(practiceId, providerId);
    // Read again under the lock: the sections may have been replaced meanwhile.
    List<WorkingSection> sections = hours.sections(practiceId, providerId);
    if (sections.isEmpty()) {
      return;
    }
    List<FieldProblem> problems =
        new ArrayList<>(
            SlotCalculator.check(
                sections, zone, services(practiceId, providerId), start, end, modality, platform));
    if (problems.isEmpty() && !calendars.busyBetween(providerId, start, end).isEmpty()) {
      problems.add(
          new FieldProblem(
              "start",
              "the provider is busy at this time in a linked calendar; pick a slot from"
                  + " GET /api/v1/providers/{id}/availability, or send force: true"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Kind.RULE, problems);
    }
    if (!sessions(practiceId, providerId, start, end, rescheduled).isEmpty()) {
      throw new ConflictException(
          "start",
          "the provider already has a session at this time; pick a slot from"
              + " GET /api/v1/providers/{id}/availability, or send force: true");
    }
  }

  /**
   * Locks the provider's row until the transaction ends, so bookings of one provider are checked
   * one at a time; answers the provider's zone.
   */
  private ZoneId lockProvider(UUID practiceId, UUID providerId) {
    return jdbc.sql("select time_zone from staff where practice_id = :p and id = :id for update")
        .param("p", practiceId)
        .param("id", providerId)
        .query((rs, n) -> ZoneId.of(rs.getString("time_zone")))
        .optional()
        .orElseThrow(() -> new NotFoundException("provider"));
  }

  /** The provider's sessions that are not cancelled and overlap {@code [from, to)}. */
  private List<Span> sessions(
      UUID practiceId, UUID providerId, Instant from, Instant to, @Nullable UUID excluding) {
    JdbcClient.StatementSpec query =
        jdbc.sql(
                "select start_at, end_at from appointment where practice_id = :p"
                    + " and provider_id = :provider and status <> 'CANCELLED'"
                    + " and start_at < :to and end_at > :from"
                    + (excluding == null ? "" : " and id <> :excluding")
                    + " order by start_at")
            .param("p", practiceId)
            .param("provider", providerId)
            .param("from", utc(from))
            .param("to", utc(to));
    if (excluding != null) {
      query = query.param("excluding", excluding);
    }
    return query.query((rs, n) -> new Span(instant(rs, "start_at"), instant(rs, "end_at"))).list();
  }

  private Set<VideoPlatform> services(UUID practiceId, UUID providerId) {
    Set<VideoPlatform> services = EnumSet.noneOf(VideoPlatform.class);
    for (VideoService s : practices.videoServices(practiceId, providerId)) {
      services.add(s.platform());
    }
    return services;
  }
}
