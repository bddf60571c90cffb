package org.sessionbridge.core.availability;

import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.TUESDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.core.availability.SlotCalculatorTest.section;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.VideoPlatform;

class WorkingHoursRulesTest {

  static final Set<VideoPlatform> ZOOM = EnumSet.of(VideoPlatform.ZOOM);

  @Test
  void acceptsAWeekOfSectionsThatTouchButDoNotOverlap() {
    assertThat(
            WorkingHoursRules.check(
                List.of(
                    section(MONDAY, "13:00", "17:00"),
                    section(MONDAY, "09:00", "13:00", SectionModality.TELEHEALTH, ZOOM),
                    section(TUESDAY, "09:00", "17:00", SectionModality.IN_PERSON, null)),
                ZOOM))
        .isEmpty();
  }

  @Test
  void aSectionMustEndAfterItStarts() {
    assertThat(
            WorkingHoursRules.check(
                List.of(section(MONDAY, "12:00", "12:00"), section(TUESDAY, "12:00", "09:00")),
                ZOOM))
        .extracting(FieldProblem::field)
        .containsExactly("[0].end", "[1].end");
  }

  @Test
  void overlappingSectionsOfOneDayAreNamedByTheLaterOne() {
    assertThat(
            WorkingHoursRules.check(
                List.of(
                    section(MONDAY, "09:00", "17:00"),
                    section(MONDAY, "10:00", "11:00"),
                    section(MONDAY, "12:00", "13:00"),
                    section(TUESDAY, "10:00", "11:00")),
                ZOOM))
        .containsExactly(
            new FieldProblem("[1].start", "overlaps section [0] on the same day"),
            new FieldProblem("[2].start", "overlaps section [0] on the same day"));
  }

  @Test
  void videoServicesBelongToTelehealthSectionsAndMustBeOffered() {
    assertThat(
            WorkingHoursRules.check(
                List.of(
                    section(MONDAY, "09:00", "10:00", SectionModality.IN_PERSON, ZOOM),
                    section(
                        MONDAY,
                        "10:00",
                        "11:00",
                        SectionModality.TELEHEALTH,
                        Collections.emptySet()),
                    section(
                        MONDAY,
                        "11:00",
                        "12:00",
                        SectionModality.BOTH,
                        EnumSet.of(VideoPlatform.DOXY)),
                    section(MONDAY, "12:00", "13:00", SectionModality.BOTH, ZOOM)),
                ZOOM))
        .extracting(FieldProblem::field)
        .containsExactly("[0].platforms", "[1].platforms", "[2].platforms");
  }

  @Test
  void tooManySectionsAreRefused() {
    List<WorkingSection> many =
        Collections.nCopies(WorkingHoursRules.MAX_SECTIONS + 1, section(MONDAY, "09:00", "10:00"));
    assertThat(WorkingHoursRules.check(many, ZOOM))
        .extracting(FieldProblem::field)
        .containsExactly("body");
  }
}
