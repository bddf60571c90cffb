package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.availability.Availability;
import org.sessionbridge.core.availability.SectionModality;
import org.sessionbridge.core.availability.Slot;
import org.sessionbridge.core.availability.SlotQuery;
import org.sessionbridge.core.availability.WorkingSection;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Providers' weekly working hours and the bookable slots they leave (docs/AVAILABILITY.md). Times
 * of day are wall-clock times in the provider's zone; slots are instants shown in that zone.
 */
@RestController
@RequestMapping("/api/v1/providers/{id}")
@Tag(name = "Availability")
final class AvailabilityApi {

  /** The longest range one availability call covers. */
  static final Duration MAX_RANGE = Duration.ofDays(62);

  static final int MIN_MINUTES = 5;
  static final int MAX_MINUTES = 480;
  static final int DEFAULT_STEP = 15;

  private final PracticeStore practices;
  private final Availability availability;
  private final Clock clock;

  AvailabilityApi(PracticeStore practices, Availability availability, Clock clock) {
    this.practices = practices;
    this.availability = availability;
    this.clock = clock;
  }

  /**
   * @param dayOfWeek {@code MONDAY} ... {@code SUNDAY}
   * @param start {@code HH:mm}, wall-clock time in the provider's zone
   * @param end {@code HH:mm}, after start (a section ends on the day it starts)
   * @param modality {@code IN_PERSON}, {@code TELEHEALTH} or {@code BOTH}
   * @param platforms the video services offered in the section; left out: all the provider's
   */
  record SectionBody(
      @Nullable String dayOfWeek,
      @Nullable String start,
      @Nullable String end,
      @Nullable String modality,
      @Nullable List<String> platforms) {}

  record SectionView(
      DayOfWeek dayOfWeek,
      String start,
      String end,
      SectionModality modality,
      @Nullable List<VideoPlatform> platforms) {
    static SectionView of(WorkingSection s) {
      return new SectionView(
          s.day(),
          s.start().toString(),
          s.end().toString(),
          s.modality(),
          s.platforms() == null ? null : List.copyOf(s.platforms()));
    }
  }

  record WorkingHoursView(UUID providerId, String timeZone, List<SectionView> sections) {}

  /**
   * @param modalities the sessions that can be booked in the slot
   * @param platforms for telehealth, the video services offered throughout the slot; null for an
   *     in-person-only slot
   */
  record SlotView(
      String start,
      String end,
      List<Modality> modalities,
      @Nullable List<VideoPlatform> platforms) {}

  record AvailabilityView(
      UUID providerId,
      String timeZone,
      String from,
      String to,
      int duration,
      int step,
      List<SlotView> slots) {}

  @PutMapping("/working-hours")
  @Operation(
      summary = "Replace the provider's weekly working hours",
      description =
          "The body is the whole week: a list of {dayOfWeek, start, end, modality, platforms?}"
              + " with times as HH:mm in the provider's zone; an empty list removes the working"
              + " hours (and with them the checking of the provider's bookings). 400 for an"
              + " unknown day, modality or platform or a malformed time; 422 for a section that"
              + " does not end after it starts, sections of one day that overlap, or a platform"
              + " the provider does not offer.")
  WorkingHoursView replace(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestBody List<@Nullable SectionBody> body) {
    Staff provider = requireProvider(caller, id);
    FieldCheck check = new FieldCheck();
    List<WorkingSection> sections = new ArrayList<>(body.size());
    for (int i = 0; i < body.size(); i++) {
      SectionBody s = body.get(i);
      String at = "[" + i + "]";
      if (s == null) {
        check.problem(at, "must be a section {dayOfWeek, start, end, modality, platforms?}");
        continue;
      }
      DayOfWeek day = check.oneOf(at + ".dayOfWeek", s.dayOfWeek(), DayOfWeek.class, true);
      LocalTime start = check.timeOfDay(at + ".start", s.start(), true);
      LocalTime end = check.timeOfDay(at + ".end", s.end(), true);
      SectionModality modality =
          check.oneOf(at + ".modality", s.modality(), SectionModality.class, true);
      Set<VideoPlatform> platforms = null;
      if (s.platforms() != null) {
        platforms = EnumSet.noneOf(VideoPlatform.class);
        for (int k = 0; k < s.platforms().size(); k++) {
          VideoPlatform p =
              check.oneOf(
                  at + ".platforms[" + k + "]", s.platforms().get(k), VideoPlatform.class, true);
          if (p != null) {
            platforms.add(p);
          }
        }
      }
      if (day != null && start != null && end != null && modality != null) {
        sections.add(new WorkingSection(day, start, end, modality, platforms));
      }
    }
    check.done();
    return view(provider, availability.replaceWorkingHours(caller.practiceId(), id, sections));
  }

  @GetMapping("/working-hours")
  @Operation(summary = "The provider's weekly working hours, Monday first")
  WorkingHoursView workingHours(Caller.PracticeMember caller, @PathVariable UUID id) {
    Staff provider = requireProvider(caller, id);
    return view(provider, availability.workingHours(caller.practiceId(), id));
  }

  @GetMapping("/availability")
  @Operation(
      summary = "Bookable slots: working hours minus booked sessions minus busy calendar time",
      description =
          "Slots of duration minutes (5 to 480) starting in [from, to) (ISO-8601 with offset;"
              + " default now and seven days later; at most 62 days; never before now), on a grid"
              + " of step minutes (default 15) from the start of each stretch of working time."
              + " modality IN_PERSON or TELEHEALTH keeps the sections that offer it (BOTH offers"
              + " both). Instants are shown in the provider's zone; a provider without working"
              + " hours has no slots. See docs/AVAILABILITY.md for the DST rules.")
  AvailabilityView slots(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @RequestParam(required = false) @Nullable String modality,
      @RequestParam(required = false) @Nullable String duration,
      @RequestParam(required = false) @Nullable String step) {
    Staff provider = requireProvider(caller, id);
    FieldCheck check = new FieldCheck();
    Instant fromAt = check.instant("from", from, false);
    Instant toAt = check.instant("to", to, false);
    Modality wanted = check.oneOf("modality", modality, Modality.class, false);
    Integer minutes = check.minutes("duration", duration, MIN_MINUTES, MAX_MINUTES, true);
    Integer stepMinutes = check.minutes("step", step, MIN_MINUTES, MAX_MINUTES, false);
    check.done();
    Instant now = clock.instant();
    Instant rangeStart = fromAt != null ? fromAt : now;
    Instant rangeEnd = toAt != null ? toAt : rangeStart.plus(Duration.ofDays(7));
    if (!rangeEnd.isAfter(rangeStart)) {
      throw InvalidInputException.malformed("to", "must be after from");
    }
    if (Duration.between(rangeStart, rangeEnd).compareTo(MAX_RANGE) > 0) {
      throw InvalidInputException.malformed(
          "to", "the range may span at most " + MAX_RANGE.toDays() + " days");
    }
    // Slots that have begun cannot be booked any more.
    Instant effectiveStart = rangeStart.isBefore(now) ? now : rangeStart;
    int every = stepMinutes != null ? stepMinutes : DEFAULT_STEP;
    int length = Objects.requireNonNull(minutes);
    ZoneId zone = provider.timeZone();
    List<SlotView> slots = List.of();
    if (rangeEnd.isAfter(effectiveStart)) {
      slots =
          availability
              .slots(
                  caller.practiceId(),
                  provider,
                  new SlotQuery(
                      effectiveStart,
                      rangeEnd,
                      Duration.ofMinutes(length),
                      Duration.ofMinutes(every),
                      wanted == null ? EnumSet.allOf(Modality.class) : EnumSet.of(wanted)))
              .stream()
              .map(s -> slot(s, zone))
              .toList();
    }
    return new AvailabilityView(
        id, zone.getId(), local(effectiveStart, zone), local(rangeEnd, zone), length, every, slots);
  }

  private static SlotView slot(Slot s, ZoneId zone) {
    return new SlotView(
        local(s.start(), zone),
        local(s.end(), zone),
        List.copyOf(s.modalities()),
        s.platforms() == null ? null : List.copyOf(s.platforms()));
  }

  private static WorkingHoursView view(Staff provider, List<WorkingSection> sections) {
    return new WorkingHoursView(
        provider.id(),
        provider.timeZone().getId(),
        sections.stream().map(SectionView::of).toList());
  }

  /** The instant as the provider's wall-clock time, always with seconds and offset. */
  private static String local(Instant instant, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
  }

  private Staff requireProvider(Caller.PracticeMember caller, UUID id) {
    return practices
        .staff(caller.practiceId(), id)
        .orElseThrow(() -> new NotFoundException("provider"));
  }
}
