package org.sessionbridge.core.appointment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.VideoPlatform;

class AppointmentRulesTest {

  private static final Instant START = Instant.parse("2030-03-04T09:00:00Z");
  private static final UUID ALICE = UUID.randomUUID();
  private static final UUID BOB = UUID.randomUUID();

  @Test
  void acceptsAnOrdinaryTelehealthSession() {
    assertThat(
            AppointmentRules.check(
                START,
                START.plus(Duration.ofMinutes(50)),
                List.of(ALICE),
                Modality.TELEHEALTH,
                VideoPlatform.ZOOM))
        .isEmpty();
  }

  @Test
  void refusesASessionThatEndsWhenItStarts() {
    assertThat(AppointmentRules.check(START, START, List.of(ALICE), Modality.IN_PERSON, null))
        .containsExactly(new FieldProblem("end", "must be after start"));
  }

  @Test
  void refusesASessionThatEndsBeforeItStarts() {
    assertThat(
            AppointmentRules.check(
                START, START.minusSeconds(1), List.of(ALICE), Modality.IN_PERSON, null))
        .containsExactly(new FieldProblem("end", "must be after start"));
  }

  @Test
  void acceptsASessionOfExactlyTwentyFourHours() {
    assertThat(
            AppointmentRules.check(
                START, START.plus(Duration.ofHours(24)), List.of(ALICE), Modality.IN_PERSON, null))
        .isEmpty();
  }

  @Test
  void refusesASessionLongerThanTwentyFourHours() {
    assertThat(
            AppointmentRules.check(
                START,
                START.plus(Duration.ofHours(24)).plusSeconds(1),
                List.of(ALICE),
                Modality.IN_PERSON,
                null))
        .containsExactly(new FieldProblem("end", "a session may last at most 24 hours"));
  }

  @Test
  void refusesASessionWithoutClients() {
    assertThat(AppointmentRules.check(START, end(), List.of(), Modality.IN_PERSON, null))
        .containsExactly(new FieldProblem("clientIds", "at least one client is required"));
  }

  @Test
  void acceptsAGroupOfFiftyClients() {
    assertThat(AppointmentRules.check(START, end(), clients(50), Modality.IN_PERSON, null))
        .isEmpty();
  }

  @Test
  void refusesAGroupOfMoreThanFiftyClients() {
    assertThat(AppointmentRules.check(START, end(), clients(51), Modality.IN_PERSON, null))
        .containsExactly(new FieldProblem("clientIds", "a group session has at most 50 clients"));
  }

  @Test
  void namesEachRepeatedClientByItsIndex() {
    assertThat(
            AppointmentRules.check(
                START, end(), List.of(ALICE, BOB, ALICE, BOB), Modality.IN_PERSON, null))
        .containsExactly(
            new FieldProblem("clientIds[2]", "this client is listed twice"),
            new FieldProblem("clientIds[3]", "this client is listed twice"));
  }

  @Test
  void refusesAVideoPlatformOnAnInPersonSession() {
    assertThat(
            AppointmentRules.check(
                START, end(), List.of(ALICE), Modality.IN_PERSON, VideoPlatform.DOXY))
        .containsExactly(
            new FieldProblem("videoPlatform", "only TELEHEALTH sessions have a video platform"));
  }

  @Test
  void acceptsATelehealthSessionWithoutAPlatform() {
    assertThat(AppointmentRules.check(START, end(), List.of(ALICE), Modality.TELEHEALTH, null))
        .isEmpty();
  }

  @Test
  void reportsEveryBrokenRuleAtOnce() {
    assertThat(
            AppointmentRules.check(
                START, START, List.of(BOB, BOB), Modality.IN_PERSON, VideoPlatform.ZOOM))
        .extracting(FieldProblem::field)
        .containsExactly("end", "clientIds[1]", "videoPlatform");
  }

  @Test
  void classifiesACancellationAsCancelledEvenWhenTheTimeMovedToo() {
    Appointment before = appointment(START, end(), AppointmentStatus.BOOKED, "Intake");
    Appointment after =
        appointment(START.plusSeconds(3600), end(), AppointmentStatus.CANCELLED, "Intake");

    assertThat(AppointmentRules.classify(before, after)).isEqualTo(ChangeType.CANCELLED);
  }

  @Test
  void classifiesACompletionAsCompleted() {
    Appointment before = appointment(START, end(), AppointmentStatus.BOOKED, "Intake");
    Appointment after = appointment(START, end(), AppointmentStatus.COMPLETED, "Intake");

    assertThat(AppointmentRules.classify(before, after)).isEqualTo(ChangeType.COMPLETED);
  }

  @Test
  void classifiesAMovedStartAsRescheduled() {
    Appointment before = appointment(START, end(), AppointmentStatus.BOOKED, "Intake");
    Appointment after =
        appointment(
            START.plusSeconds(600), end().plusSeconds(600), AppointmentStatus.BOOKED, "Intake");

    assertThat(AppointmentRules.classify(before, after)).isEqualTo(ChangeType.RESCHEDULED);
  }

  @Test
  void classifiesAMovedEndAloneAsRescheduled() {
    Appointment before = appointment(START, end(), AppointmentStatus.BOOKED, "Intake");
    Appointment after =
        appointment(START, end().plusSeconds(600), AppointmentStatus.BOOKED, "Intake");

    assertThat(AppointmentRules.classify(before, after)).isEqualTo(ChangeType.RESCHEDULED);
  }

  @Test
  void classifiesAChangeThatKeepsTheTimeAsUpdated() {
    Appointment before = appointment(START, end(), AppointmentStatus.BOOKED, "Intake");
    Appointment after = appointment(START, end(), AppointmentStatus.BOOKED, "Follow-up");

    assertThat(AppointmentRules.classify(before, after)).isEqualTo(ChangeType.UPDATED);
  }

  private static Instant end() {
    return START.plus(Duration.ofMinutes(50));
  }

  private static List<UUID> clients(int n) {
    return IntStream.range(0, n).mapToObj(i -> UUID.randomUUID()).toList();
  }

  private static Appointment appointment(
      Instant start, Instant end, AppointmentStatus status, String title) {
    UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
    return new Appointment(
        id,
        UUID.fromString("00000000-0000-0000-0000-000000000002"),
        UUID.fromString("00000000-0000-0000-0000-000000000003"),
        List.of(ALICE),
        start,
        end,
        ZoneId.of("Europe/Berlin"),
        Modality.TELEHEALTH,
        VideoPlatform.ZOOM,
        status,
        title,
        id + "@sessionbridge",
        1,
        START,
        START);
  }
}
