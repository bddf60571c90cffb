package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.NotificationSettings;
import org.sessionbridge.core.notification.NotificationStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Notifications (docs/NOTIFICATIONS.md): the practice's reminder settings, and what each
 * appointment's participants were sent or are owed. Rows carry ids, states and times, never the
 * contents, addresses or numbers.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Notifications")
final class NotificationApi {

  private final NotificationStore store;
  private final AppointmentBook book;

  NotificationApi(NotificationStore store, AppointmentBook book) {
    this.store = store;
    this.book = book;
  }

  record SettingsView(int reminderMinutes, boolean smsEnabled) {
    static SettingsView of(NotificationSettings s) {
      return new SettingsView(s.reminderMinutes(), s.smsEnabled());
    }
  }

  record SettingsChange(@Nullable Integer reminderMinutes, @Nullable Boolean smsEnabled) {}

  record NotificationView(
      UUID id,
      String recipientKind,
      UUID recipientId,
      String purpose,
      String channel,
      String state,
      long appointmentVersion,
      String dueAt,
      @Nullable String sentAt,
      int attempts,
      @Nullable String error) {
    static NotificationView of(Notification n) {
      return new NotificationView(
          n.id(),
          n.recipientKind().name(),
          n.recipientId(),
          n.purpose().name(),
          n.channel().name(),
          n.state().name(),
          n.appointmentVersion(),
          n.dueAt().toString(),
          text(n.sentAt()),
          n.attempts(),
          n.lastError());
    }

    private static @Nullable String text(@Nullable Instant at) {
      return at == null ? null : at.toString();
    }
  }

  @GetMapping("/practice/notifications")
  @Operation(summary = "The practice's reminder settings")
  SettingsView settings(Caller.PracticeMember caller) {
    return SettingsView.of(store.settings(caller.practiceId()));
  }

  @PutMapping("/practice/notifications")
  @Operation(
      summary = "Change the practice's reminder settings",
      description =
          "reminderMinutes: how long before a session reminders go out, 15 to 30 (default 20);"
              + " 422 naming the field otherwise. smsEnabled: clients with a phone number also get"
              + " a text message (default false; needs sessionbridge.notifications.sms.base-url)."
              + " A field left out keeps its value. Applies to sessions planned or changed from"
              + " now on.")
  SettingsView change(Caller.PracticeMember caller, @RequestBody SettingsChange body) {
    Integer minutes = body.reminderMinutes();
    if (minutes != null
        && (minutes < NotificationSettings.MIN_MINUTES
            || minutes > NotificationSettings.MAX_MINUTES)) {
      throw InvalidInputException.rule(
          "reminderMinutes",
          "must be "
              + NotificationSettings.MIN_MINUTES
              + " to "
              + NotificationSettings.MAX_MINUTES
              + " minutes");
    }
    NotificationSettings next =
        store.settings(caller.practiceId()).with(minutes, body.smsEnabled());
    return SettingsView.of(store.updateSettings(caller.practiceId(), next));
  }

  @GetMapping("/appointments/{id}/notifications")
  @Operation(
      summary = "What the session's participants were sent and are owed",
      description =
          "One row per participant, purpose (CONFIRMATION, RESCHEDULED, CANCELLED, REMINDER),"
              + " channel (EMAIL, SMS) and planned version: state (PENDING, SENT, SKIPPED, FAILED,"
              + " SUPERSEDED), dueAt, sentAt, attempts and the last error. Never the contents.")
  List<NotificationView> list(Caller.PracticeMember caller, @PathVariable UUID id) {
    book.find(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("appointment"));
    return store.forAppointment(id).stream().map(NotificationView::of).toList();
  }
}
