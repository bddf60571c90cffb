package org.sessionbridge.routes.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.routes.notification.NotificationTestBed.NINE;
import static org.sessionbridge.routes.notification.NotificationTestBed.T0;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.Notification.Channel;
import org.sessionbridge.core.notification.Notification.Purpose;
import org.sessionbridge.core.notification.Notification.RecipientKind;
import org.sessionbridge.core.notification.Notification.State;
import org.sessionbridge.core.notification.NotificationSettings;

/** What the planner records per appointment version: no sending here. */
class NotificationPlannerTest {

  NotificationTestBed bed;

  @BeforeEach
  void bed() throws Exception {
    bed = new NotificationTestBed();
  }

  @AfterEach
  void close() throws Exception {
    bed.close();
  }

  @Test
  void bookingPlansConfirmationsAndRemindersAtTheLeadBeforeTheStart() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();

    assertThat(bed.rows(id, Purpose.CONFIRMATION, Channel.EMAIL))
        .extracting(Notification::recipientKind, Notification::dueAt, Notification::state)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(RecipientKind.CLIENT, T0, State.PENDING),
            org.assertj.core.groups.Tuple.tuple(RecipientKind.PROVIDER, T0, State.PENDING));
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::recipientKind, Notification::dueAt)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                RecipientKind.CLIENT, NINE.minus(Duration.ofMinutes(20))),
            org.assertj.core.groups.Tuple.tuple(
                RecipientKind.PROVIDER, NINE.minus(Duration.ofMinutes(20))));
    // SMS is off by default
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.SMS)).isEmpty();
  }

  @Test
  void thePracticesLeadAndSmsSettingShapeTheReminders() {
    bed.store.updateSettings(bed.practiceId, new NotificationSettings(15, true));
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice, bed.bruno));
    bed.plan();

    // Alice has a phone number, Bruno has none; the provider gets e-mail only
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.SMS))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.recipientId()).isEqualTo(bed.alice);
              assertThat(n.dueAt()).isEqualTo(NINE.minus(Duration.ofMinutes(15)));
            });
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL)).hasSize(3);
  }

  @Test
  void rescheduleRetimesThePendingReminderAndPlansANotice() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    bed.drain(bed.sender("w", null)); // the confirmations go out
    Notification before = clientReminder(id);

    bed.moveTo(id, NINE.plus(Duration.ofDays(1)));
    bed.plan();

    Notification after = clientReminder(id);
    assertThat(after.id()).isEqualTo(before.id());
    assertThat(after.dueAt())
        .isEqualTo(NINE.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(20)));
    assertThat(after.appointmentVersion()).isEqualTo(2);
    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .filteredOn(n -> n.state() == State.PENDING)
        .hasSize(2); // one for the client, one for the provider: never two for one participant
    assertThat(bed.rows(id, Purpose.RESCHEDULED, Channel.EMAIL))
        .extracting(Notification::recipientKind)
        .containsExactlyInAnyOrder(RecipientKind.CLIENT, RecipientKind.PROVIDER);
  }

  @Test
  void aMoveBeforeTheConfirmationWentOutConfirmsTheNewTimeInstead() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.moveTo(id, NINE.plus(Duration.ofHours(2)));
    bed.plan();

    assertThat(bed.rows(id, Purpose.CONFIRMATION, Channel.EMAIL))
        .filteredOn(n -> n.state() == State.PENDING)
        .extracting(Notification::appointmentVersion)
        .containsExactly(2L, 2L);
    assertThat(bed.rows(id, Purpose.RESCHEDULED, Channel.EMAIL)).isEmpty();
  }

  @Test
  void cancellingSupersedesWhatWasPendingAndPlansCancellationNotices() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    bed.cancel(id);
    bed.plan();

    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::state)
        .containsOnly(State.SUPERSEDED);
    assertThat(bed.rows(id, Purpose.CANCELLED, Channel.EMAIL))
        .extracting(Notification::recipientKind, Notification::state)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(RecipientKind.CLIENT, State.PENDING),
            org.assertj.core.groups.Tuple.tuple(RecipientKind.PROVIDER, State.PENDING));
  }

  @Test
  void aSessionBookedInsideTheWindowIsRemindedAtOnce() {
    UUID id = bed.book(T0.plus(Duration.ofMinutes(5)), Modality.IN_PERSON, List.of(bed.alice));
    bed.plan();

    assertThat(clientReminder(id).dueAt()).isEqualTo(T0);
    assertThat(clientReminder(id).state()).isEqualTo(State.PENDING);
  }

  @Test
  void aReplayedOlderVersionPlansNothing() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice));
    bed.plan();
    bed.moveTo(id, NINE.plus(Duration.ofHours(1)));
    bed.plan();
    int rows = bed.rows(id).size();

    assertThat(bed.store.advancePlan(id, 1)).isFalse();
    assertThat(bed.store.advancePlan(id, 2)).isFalse();
    assertThat(bed.rows(id)).hasSize(rows);
  }

  @Test
  void aGroupSessionGivesEveryClientRowsOfTheirOwn() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice, bed.bruno));
    bed.plan();

    assertThat(bed.rows(id, Purpose.REMINDER, Channel.EMAIL))
        .extracting(Notification::recipientId)
        .containsExactlyInAnyOrder(bed.alice, bed.bruno, bed.provider.id());
  }

  @Test
  void aClientRemovedFromTheSessionLosesWhatWasPendingForThem() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH, List.of(bed.alice, bed.bruno));
    bed.plan();
    bed.book.change(
        bed.practiceId,
        id,
        new org.sessionbridge.core.appointment.AppointmentPatch(
            null, null, null, null, null, null, List.of(bed.alice), null),
        null);
    bed.plan();

    assertThat(bed.rows(id))
        .filteredOn(n -> n.recipientId().equals(bed.bruno))
        .extracting(Notification::state)
        .containsOnly(State.SUPERSEDED);
  }

  private Notification clientReminder(UUID id) {
    return bed.rows(id, Purpose.REMINDER, Channel.EMAIL).stream()
        .filter(n -> n.recipientKind() == RecipientKind.CLIENT && n.state() == State.PENDING)
        .findFirst()
        .orElseThrow();
  }
}
