package org.sessionbridge.core.availability;

import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.TUESDAY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.VideoPlatform;

class SlotCalculatorTest {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
  static final ZoneId UTC = ZoneId.of("UTC");
  static final Set<VideoPlatform> NO_SERVICES = EnumSet.noneOf(VideoPlatform.class);
  static final Set<VideoPlatform> ZOOM_AND_DOXY =
      EnumSet.of(VideoPlatform.ZOOM, VideoPlatform.DOXY);
  static final Set<Modality> ANY = EnumSet.allOf(Modality.class);
  static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmXXX");

  @Nested
  class AcrossDstChanges {

    @Test
    void newYorkSpringForwardSkipsTheMissingHour() {
      // 2030-03-10: 02:00 EST becomes 03:00 EDT.
      List<Window> w = day(section(SUNDAY, "01:30", "03:30"), NEW_YORK, "2030-03-10");
      assertThat(spans(w, NEW_YORK))
          .containsExactly("2030-03-10T01:30-05:00/2030-03-10T03:30-04:00");
      assertThat(length(w)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void newYorkSectionInsideTheSkippedHourDoesNotOccur() {
      assertThat(day(section(SUNDAY, "02:00", "03:00"), NEW_YORK, "2030-03-10")).isEmpty();
      assertThat(day(section(SUNDAY, "02:15", "02:45"), NEW_YORK, "2030-03-10")).isEmpty();
      // A week later it is an ordinary hour again.
      assertThat(length(day(section(SUNDAY, "02:00", "03:00"), NEW_YORK, "2030-03-17")))
          .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void newYorkSectionStartingInTheSkippedHourStartsWhenClocksJump() {
      List<Window> w = day(section(SUNDAY, "02:30", "04:00"), NEW_YORK, "2030-03-10");
      assertThat(spans(w, NEW_YORK))
          .containsExactly("2030-03-10T03:00-04:00/2030-03-10T04:00-04:00");
    }

    @Test
    void newYorkFallBackWorksTheRepeatedHourTwice() {
      // 2030-11-03: 02:00 EDT becomes 01:00 EST.
      List<Window> w = day(section(SUNDAY, "01:30", "03:30"), NEW_YORK, "2030-11-03");
      assertThat(spans(w, NEW_YORK))
          .containsExactly("2030-11-03T01:30-04:00/2030-11-03T03:30-05:00");
      assertThat(length(w)).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void newYorkSectionInsideTheRepeatedHourOccursOnceTheFirstTimeRound() {
      List<Window> w = day(section(SUNDAY, "01:00", "01:45"), NEW_YORK, "2030-11-03");
      assertThat(spans(w, NEW_YORK))
          .containsExactly("2030-11-03T01:00-04:00/2030-11-03T01:45-04:00");
    }

    @Test
    void newYorkSectionEndingInTheRepeatedHourEndsTheFirstTimeRound() {
      List<Window> w = day(section(SUNDAY, "00:00", "01:30"), NEW_YORK, "2030-11-03");
      assertThat(spans(w, NEW_YORK))
          .containsExactly("2030-11-03T00:00-04:00/2030-11-03T01:30-04:00");
    }

    @Test
    void sectionsThatTouchOnTheClockStillTouchAndNeverOverlapOnAFallBackNight() {
      List<WorkingSection> sections =
          List.of(section(SUNDAY, "00:00", "01:30"), section(SUNDAY, "01:30", "03:00"));
      List<Window> w =
          SlotCalculator.windows(
              sections, NEW_YORK, at("2030-11-03T00:00-04:00"), at("2030-11-03T04:00-05:00"));
      assertThat(length(w)).isEqualTo(Duration.ofHours(4)); // 00:00 EDT to 03:00 EST
      for (int i = 1; i < w.size(); i++) {
        assertThat(w.get(i).start()).isAfterOrEqualTo(w.get(i - 1).end());
      }
      assertThat(w.get(0).start()).isEqualTo(at("2030-11-03T00:00-04:00"));
      assertThat(w.get(w.size() - 1).end()).isEqualTo(at("2030-11-03T03:00-05:00"));
    }

    @Test
    void berlinSpringForwardAndFallBack() {
      // 2030-03-31: 02:00 CET becomes 03:00 CEST; 2030-10-27: 03:00 CEST becomes 02:00 CET.
      WorkingSection night = section(SUNDAY, "01:00", "04:00");
      List<Window> spring = day(night, BERLIN, "2030-03-31");
      assertThat(spans(spring, BERLIN))
          .containsExactly("2030-03-31T01:00+01:00/2030-03-31T04:00+02:00");
      assertThat(length(spring)).isEqualTo(Duration.ofHours(2));
      List<Window> autumn = day(night, BERLIN, "2030-10-27");
      assertThat(spans(autumn, BERLIN))
          .containsExactly("2030-10-27T01:00+02:00/2030-10-27T04:00+01:00");
      assertThat(length(autumn)).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void sydneyFallsBackInAprilAndSpringsForwardInOctober() {
      // 2030-04-07: 03:00 AEDT becomes 02:00 AEST; 2030-10-06: 02:00 AEST becomes 03:00 AEDT.
      WorkingSection night = section(SUNDAY, "01:00", "04:00");
      List<Window> april = day(night, SYDNEY, "2030-04-07");
      assertThat(spans(april, SYDNEY))
          .containsExactly("2030-04-07T01:00+11:00/2030-04-07T04:00+10:00");
      assertThat(length(april)).isEqualTo(Duration.ofHours(4));
      List<Window> october = day(night, SYDNEY, "2030-10-06");
      assertThat(spans(october, SYDNEY))
          .containsExactly("2030-10-06T01:00+10:00/2030-10-06T04:00+11:00");
      assertThat(length(october)).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void ordinaryHoursKeepTheirWallClockTimeOnBothSidesOfTheChange() {
      List<Slot> slots =
          SlotCalculator.slots(
              List.of(section(MONDAY, "09:00", "10:00")),
              BERLIN,
              NO_SERVICES,
              List.of(),
              query("2030-03-24T00:00Z", "2030-04-02T00:00Z", 60, 60, ANY));
      assertThat(starts(slots, BERLIN))
          .containsExactly("2030-03-25T09:00+01:00", "2030-04-01T09:00+02:00");
      assertThat(slots.get(0).start()).isEqualTo(at("2030-03-25T08:00Z"));
      assertThat(slots.get(1).start()).isEqualTo(at("2030-04-01T07:00Z"));
    }

    @Test
    void theSlotGridKeepsItsPaceThroughTheRepeatedHour() {
      List<Slot> slots =
          SlotCalculator.slots(
              List.of(section(SUNDAY, "00:00", "04:00")),
              NEW_YORK,
              NO_SERVICES,
              List.of(),
              query("2030-11-03T00:00-04:00", "2030-11-04T00:00-05:00", 60, 60, ANY));
      assertThat(starts(slots, NEW_YORK))
          .containsExactly(
              "2030-11-03T00:00-04:00",
              "2030-11-03T01:00-04:00",
              "2030-11-03T01:00-05:00",
              "2030-11-03T02:00-05:00",
              "2030-11-03T03:00-05:00");
    }

    @Test
    void noSlotIsOfferedInTheSkippedHour() {
      List<Slot> slots =
          SlotCalculator.slots(
              List.of(section(SUNDAY, "01:00", "04:00")),
              NEW_YORK,
              NO_SERVICES,
              List.of(),
              query("2030-03-10T00:00-05:00", "2030-03-11T00:00-04:00", 30, 30, ANY));
      assertThat(starts(slots, NEW_YORK))
          .containsExactly(
              "2030-03-10T01:00-05:00",
              "2030-03-10T01:30-05:00",
              "2030-03-10T03:00-04:00",
              "2030-03-10T03:30-04:00");
    }
  }

  @Nested
  class Slots {

    @Test
    void stepThroughASectionAndFitTheDuration() {
      List<Slot> slots = utcMonday(List.of(), 50, 15, ANY);
      assertThat(starts(slots, UTC))
          .containsExactly(
              "2030-03-04T09:00Z",
              "2030-03-04T09:15Z",
              "2030-03-04T09:30Z",
              "2030-03-04T09:45Z",
              "2030-03-04T10:00Z",
              "2030-03-04T10:15Z",
              "2030-03-04T10:30Z",
              "2030-03-04T10:45Z",
              "2030-03-04T11:00Z");
      assertThat(slots.get(0).end()).isEqualTo(at("2030-03-04T09:50Z"));
    }

    @Test
    void bookedSessionsAndBusyTimeAreTakenOut() {
      Span session = new Span(at("2030-03-04T10:00Z"), at("2030-03-04T10:50Z"));
      assertThat(starts(utcMonday(List.of(session), 50, 15, ANY), UTC))
          .containsExactly("2030-03-04T09:00Z", "2030-03-04T11:00Z");
      Span busy = new Span(at("2030-03-04T11:30Z"), at("2030-03-04T11:45Z"));
      assertThat(starts(utcMonday(List.of(busy, session), 50, 15, ANY), UTC))
          .containsExactly("2030-03-04T09:00Z");
    }

    @Test
    void aSlotMayEndWhereASessionStartsAndStartWhereOneEnds() {
      Span session = new Span(at("2030-03-04T10:00Z"), at("2030-03-04T11:00Z"));
      assertThat(starts(utcMonday(List.of(session), 60, 60, ANY), UTC))
          .containsExactly("2030-03-04T09:00Z", "2030-03-04T11:00Z");
    }

    @Test
    void slotsStartInTheRangeOnTheGridOfTheirSection() {
      List<Slot> slots =
          SlotCalculator.slots(
              List.of(section(MONDAY, "09:10", "12:00")),
              UTC,
              NO_SERVICES,
              List.of(),
              query("2030-03-04T10:00Z", "2030-03-04T10:45Z", 30, 20, ANY));
      assertThat(starts(slots, UTC)).containsExactly("2030-03-04T10:10Z", "2030-03-04T10:30Z");
    }

    @Test
    void modalityFilterKeepsTheSectionsThatOfferIt() {
      List<WorkingSection> week =
          List.of(
              section(MONDAY, "09:00", "10:00", SectionModality.IN_PERSON, null),
              section(MONDAY, "13:00", "14:00", SectionModality.TELEHEALTH, null),
              section(TUESDAY, "09:00", "10:00", SectionModality.BOTH, null));
      SlotQuery inPerson =
          query("2030-03-04T00:00Z", "2030-03-06T00:00Z", 60, 60, EnumSet.of(Modality.IN_PERSON));
      SlotQuery video =
          query("2030-03-04T00:00Z", "2030-03-06T00:00Z", 60, 60, EnumSet.of(Modality.TELEHEALTH));
      SlotQuery any = query("2030-03-04T00:00Z", "2030-03-06T00:00Z", 60, 60, ANY);

      assertThat(starts(SlotCalculator.slots(week, UTC, NO_SERVICES, List.of(), inPerson), UTC))
          .containsExactly("2030-03-04T09:00Z", "2030-03-05T09:00Z");
      assertThat(starts(SlotCalculator.slots(week, UTC, NO_SERVICES, List.of(), video), UTC))
          .containsExactly("2030-03-04T13:00Z", "2030-03-05T09:00Z");
      List<Slot> all = SlotCalculator.slots(week, UTC, NO_SERVICES, List.of(), any);
      assertThat(all)
          .extracting(Slot::modalities)
          .containsExactly(
              EnumSet.of(Modality.IN_PERSON),
              EnumSet.of(Modality.TELEHEALTH),
              EnumSet.of(Modality.IN_PERSON, Modality.TELEHEALTH));
      assertThat(all.get(0).platforms()).as("in person only").isNull();
      assertThat(all.get(1).platforms()).as("telehealth without services").isEmpty();
    }

    @Test
    void adjacentSectionsOfferingTheModalityJoinIntoOneRun() {
      List<WorkingSection> day =
          List.of(
              section(MONDAY, "09:00", "10:00", SectionModality.IN_PERSON, null),
              section(MONDAY, "10:00", "11:00", SectionModality.BOTH, null));
      List<Slot> slots =
          SlotCalculator.slots(
              day,
              UTC,
              NO_SERVICES,
              List.of(),
              query("2030-03-04T00:00Z", "2030-03-05T00:00Z", 60, 30, ANY));
      assertThat(slots)
          .extracting(s -> s.start().toString(), Slot::modalities)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "2030-03-04T09:00:00Z", EnumSet.of(Modality.IN_PERSON)),
              org.assertj.core.groups.Tuple.tuple(
                  "2030-03-04T09:30:00Z", EnumSet.of(Modality.IN_PERSON)),
              org.assertj.core.groups.Tuple.tuple(
                  "2030-03-04T10:00:00Z", EnumSet.of(Modality.IN_PERSON, Modality.TELEHEALTH)));
    }

    @Test
    void telehealthSlotsNameTheVideoServicesOfferedThroughout() {
      List<WorkingSection> day =
          List.of(
              section(MONDAY, "09:00", "10:00", SectionModality.TELEHEALTH, null),
              section(
                  MONDAY,
                  "10:00",
                  "11:00",
                  SectionModality.TELEHEALTH,
                  EnumSet.of(VideoPlatform.DOXY)),
              section(
                  MONDAY,
                  "11:00",
                  "12:00",
                  SectionModality.TELEHEALTH,
                  EnumSet.of(VideoPlatform.ZOOM)));
      List<Slot> slots =
          SlotCalculator.slots(
              day,
              UTC,
              ZOOM_AND_DOXY,
              List.of(),
              query("2030-03-04T00:00Z", "2030-03-05T00:00Z", 60, 30, ANY));
      assertThat(slots)
          .extracting(s -> s.start().toString(), Slot::platforms)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("2030-03-04T09:00:00Z", ZOOM_AND_DOXY),
              org.assertj.core.groups.Tuple.tuple(
                  "2030-03-04T09:30:00Z", EnumSet.of(VideoPlatform.DOXY)),
              org.assertj.core.groups.Tuple.tuple(
                  "2030-03-04T10:00:00Z", EnumSet.of(VideoPlatform.DOXY)),
              // 10:30-11:30 touches a DOXY-only and a ZOOM-only section: nothing in common.
              org.assertj.core.groups.Tuple.tuple(
                  "2030-03-04T11:00:00Z", EnumSet.of(VideoPlatform.ZOOM)));
    }

    @Test
    void noSectionsNoSlots() {
      assertThat(
              SlotCalculator.slots(
                  List.of(),
                  UTC,
                  NO_SERVICES,
                  List.of(),
                  query("2030-03-04T00:00Z", "2030-03-11T00:00Z", 60, 60, ANY)))
          .isEmpty();
    }

    private List<Slot> utcMonday(List<Span> taken, int minutes, int step, Set<Modality> m) {
      return SlotCalculator.slots(
          List.of(section(MONDAY, "09:00", "12:00")),
          UTC,
          NO_SERVICES,
          taken,
          query("2030-03-04T00:00Z", "2030-03-05T00:00Z", minutes, step, m));
    }
  }

  @Nested
  class BookingFit {

    final List<WorkingSection> week =
        List.of(
            section(MONDAY, "09:00", "12:00", SectionModality.IN_PERSON, null),
            section(MONDAY, "12:00", "17:00", SectionModality.BOTH, EnumSet.of(VideoPlatform.DOXY)),
            section(TUESDAY, "09:00", "12:00", SectionModality.TELEHEALTH, null));

    @Test
    void aSessionInsideASectionOfItsModalityFits() {
      assertThat(fit("2030-03-04T09:00Z", "2030-03-04T09:50Z", Modality.IN_PERSON, null)).isEmpty();
      assertThat(
              fit(
                  "2030-03-05T11:10Z",
                  "2030-03-05T12:00Z",
                  Modality.TELEHEALTH,
                  VideoPlatform.ZOOM))
          .isEmpty();
    }

    @Test
    void aSessionAcrossTwoSectionsThatBothOfferItFits() {
      assertThat(fit("2030-03-04T11:30Z", "2030-03-04T12:30Z", Modality.IN_PERSON, null)).isEmpty();
    }

    @Test
    void outsideWorkingHoursNamesStart() {
      assertThat(fit("2030-03-04T08:30Z", "2030-03-04T09:20Z", Modality.IN_PERSON, null))
          .extracting(FieldProblem::field)
          .containsExactly("start");
      assertThat(fit("2030-03-06T10:00Z", "2030-03-06T10:50Z", Modality.IN_PERSON, null))
          .extracting(FieldProblem::field)
          .containsExactly("start");
    }

    @Test
    void theWrongModalityNamesModality() {
      assertThat(fit("2030-03-04T10:00Z", "2030-03-04T10:50Z", Modality.TELEHEALTH, null))
          .containsExactly(
              new FieldProblem(
                  "modality", "the provider does not offer telehealth sessions at this time"));
      assertThat(fit("2030-03-05T10:00Z", "2030-03-05T10:50Z", Modality.IN_PERSON, null))
          .extracting(FieldProblem::field)
          .containsExactly("modality");
      // Telehealth from 12:00 only: a session from 11:30 is partly outside.
      assertThat(fit("2030-03-04T11:30Z", "2030-03-04T12:20Z", Modality.TELEHEALTH, null))
          .extracting(FieldProblem::field)
          .containsExactly("modality");
    }

    @Test
    void aVideoServiceNotOfferedInTheSectionNamesVideoPlatform() {
      assertThat(
              fit(
                  "2030-03-04T13:00Z",
                  "2030-03-04T13:50Z",
                  Modality.TELEHEALTH,
                  VideoPlatform.ZOOM))
          .containsExactly(
              new FieldProblem(
                  "videoPlatform",
                  "the provider does not offer this video service at this time; offered then:"
                      + " DOXY"));
      assertThat(
              fit(
                  "2030-03-04T13:00Z",
                  "2030-03-04T13:50Z",
                  Modality.TELEHEALTH,
                  VideoPlatform.DOXY))
          .isEmpty();
      // A section without its own list offers the provider's services, and only those.
      assertThat(
              fit(
                  "2030-03-05T09:00Z",
                  "2030-03-05T09:50Z",
                  Modality.TELEHEALTH,
                  VideoPlatform.VSEE))
          .extracting(FieldProblem::field)
          .containsExactly("videoPlatform");
    }

    @Test
    void aSessionOnTheSpringForwardNightFitsTheHourThatRemains() {
      List<WorkingSection> night = List.of(section(SUNDAY, "01:30", "03:30"));
      assertThat(
              SlotCalculator.check(
                  night,
                  NEW_YORK,
                  NO_SERVICES,
                  at("2030-03-10T01:30-05:00"),
                  at("2030-03-10T03:30-04:00"),
                  Modality.IN_PERSON,
                  null))
          .isEmpty();
      assertThat(
              SlotCalculator.check(
                  night,
                  NEW_YORK,
                  NO_SERVICES,
                  at("2030-03-10T03:00-04:00"),
                  at("2030-03-10T04:00-04:00"),
                  Modality.IN_PERSON,
                  null))
          .extracting(FieldProblem::field)
          .containsExactly("start");
    }

    private List<FieldProblem> fit(
        String start, String end, Modality modality, @Nullable VideoPlatform platform) {
      return SlotCalculator.check(week, UTC, ZOOM_AND_DOXY, at(start), at(end), modality, platform);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  static WorkingSection section(DayOfWeek day, String start, String end) {
    return section(day, start, end, SectionModality.BOTH, null);
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

  static List<Window> day(WorkingSection section, ZoneId zone, String date) {
    LocalDate d = LocalDate.parse(date);
    return SlotCalculator.windows(
        List.of(section),
        zone,
        d.atStartOfDay(zone).toInstant(),
        d.plusDays(1).atStartOfDay(zone).toInstant());
  }

  static Duration length(List<Window> windows) {
    return windows.stream()
        .map(w -> Duration.between(w.start(), w.end()))
        .reduce(Duration.ZERO, Duration::plus);
  }

  static List<String> spans(List<Window> windows, ZoneId zone) {
    return windows.stream().map(w -> local(w.start(), zone) + "/" + local(w.end(), zone)).toList();
  }

  static List<String> starts(List<Slot> slots, ZoneId zone) {
    return slots.stream().map(s -> local(s.start(), zone)).toList();
  }

  static String local(Instant instant, ZoneId zone) {
    return MINUTES.format(instant.atZone(zone));
  }

  static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  static SlotQuery query(String from, String to, int minutes, int step, Set<Modality> modalities) {
    return new SlotQuery(
        at(from), at(to), Duration.ofMinutes(minutes), Duration.ofMinutes(step), modalities);
  }
}
