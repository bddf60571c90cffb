package org.sessionbridge.routes.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.ChangeType;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.Notification.Channel;
import org.sessionbridge.core.notification.Notification.Purpose;
import org.sessionbridge.core.notification.Notification.RecipientKind;
import org.sessionbridge.core.notification.Notification.State;
import org.sessionbridge.core.notification.NotificationSettings;
import org.sessionbridge.core.notification.NotificationStore;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.PracticeStore;

/**
 * The outbox handler of the notification route: plans, for each appointment version, what every
 * participant is owed. Only database writes, inside the delivery transaction, so each version is
 * planned exactly once; the sending happens later in {@link NotificationRoute}.
 *
 * <ul>
 *   <li>BOOKED: a confirmation e-mail to each client (with their .ics) and the provider, and a
 *       reminder per participant and channel at start − the practice's lead time (at once when that
 *       has passed and the session has not started; SKIPPED when it has).
 *   <li>RESCHEDULED: a notice with the updated .ics (a confirmation instead for a participant whose
 *       confirmation had not gone out yet); pending reminders are re-timed, or superseded and
 *       planned again, so one session start never has two reminders for one participant and
 *       channel.
 *   <li>CANCELLED: a cancellation notice (METHOD:CANCEL .ics); everything pending is superseded.
 *   <li>COMPLETED: everything pending is superseded.
 *   <li>UPDATED: clients added get a confirmation and reminders; clients removed lose what was
 *       pending for them.
 * </ul>
 *
 * Rows a worker holds at that moment are left alone: the worker compares them with the appointment
 * before sending (see {@link NotificationSender}).
 */
public final class NotificationPlanner implements AppointmentChangeHandler {

  public static final String NAME = "notification-plan";

  private final NotificationStore store;
  private final PracticeStore practices;
  private final Clock clock;

  public NotificationPlanner(NotificationStore store, PracticeStore practices, Clock clock) {
    this.store = store;
    this.practices = practices;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** One participant: a client (with their phone, if any) or the provider. */
  private record Recipient(RecipientKind kind, UUID id, @Nullable String phone) {}

  @Override
  public void onChange(AppointmentChange change) {
    if (!store.advancePlan(change.appointmentId(), change.version())) {
      return; // this or a newer version was planned already (a replayed dead letter)
    }
    Instant now = clock.instant();
    NotificationSettings settings = store.settings(change.practiceId());
    List<Recipient> recipients = recipients(change);
    List<Notification> rows = store.forAppointment(change.appointmentId());
    String replaced = "replaced by appointment version " + change.version();

    for (Notification row : rows) {
      if (row.state() == State.PENDING && !isRecipient(recipients, row)) {
        store.supersede(row.id(), "no longer a participant (version " + change.version() + ")");
      }
    }
    if (change.status() != AppointmentStatus.BOOKED) {
      for (Notification row : rows) {
        if (row.state() == State.PENDING) {
          store.supersede(
              row.id(),
              "session "
                  + change.status().name().toLowerCase(java.util.Locale.ROOT)
                  + ", "
                  + replaced);
        }
      }
      if (change.type() == ChangeType.CANCELLED) {
        for (Recipient r : recipients) {
          notice(change, r, Purpose.CANCELLED, now);
        }
      }
      return;
    }

    for (Recipient r : recipients) {
      List<Notification> own = own(rows, r);
      Optional<Purpose> notice = noticeFor(change.type(), own, replaced);
      notice.ifPresent(p -> notice(change, r, p, now));
      reminders(change, r, own, settings, now, replaced);
    }
  }

  /**
   * Which notice a participant gets for this change, superseding their notices still pending: a
   * booking confirms; a move notifies, or confirms when no confirmation went out yet; other changes
   * confirm only a participant who never had one (a client added to the session).
   */
  private Optional<Purpose> noticeFor(ChangeType type, List<Notification> own, String replaced) {
    boolean hadNotice = own.stream().anyMatch(n -> n.purpose() != Purpose.REMINDER);
    switch (type) {
      case BOOKED:
        return Optional.of(Purpose.CONFIRMATION);
      case RESCHEDULED:
        boolean confirmed =
            own.stream()
                .anyMatch(
                    n ->
                        n.purpose() == Purpose.CONFIRMATION
                            && (n.state() == State.SENT || n.state() == State.FAILED));
        boolean confirmationPending = false;
        for (Notification n : own) {
          if (n.purpose() != Purpose.REMINDER && n.state() == State.PENDING) {
            if (store.supersede(n.id(), replaced)) {
              confirmationPending |= n.purpose() == Purpose.CONFIRMATION;
            }
          }
        }
        return Optional.of(
            confirmationPending || (!confirmed && !hadNotice)
                ? Purpose.CONFIRMATION
                : Purpose.RESCHEDULED);
      default:
        return hadNotice ? Optional.empty() : Optional.of(Purpose.CONFIRMATION);
    }
  }

  private void notice(AppointmentChange change, Recipient r, Purpose purpose, Instant now) {
    if (!now.isBefore(change.end())) {
      return; // a session that is over needs no notice
    }
    store.plan(plan(change, r, purpose, Channel.EMAIL), now, State.PENDING, null);
  }

  /**
   * The participant's reminder on each channel for the session's start: kept if one is planned or
   * sent for this start already, otherwise a pending one is re-timed, or a new one is planned and
   * pending ones for another start superseded.
   */
  private void reminders(
      AppointmentChange change,
      Recipient r,
      List<Notification> own,
      NotificationSettings settings,
      Instant now,
      String replaced) {
    List<Channel> channels = new ArrayList<>();
    channels.add(Channel.EMAIL);
    if (r.kind() == RecipientKind.CLIENT && r.phone() != null && settings.smsEnabled()) {
      channels.add(Channel.SMS);
    }
    Instant start = change.start();
    Instant due = start.minus(settings.lead());
    if (due.isBefore(now)) {
      due = now; // booked or moved inside the reminder window: at once
    }
    for (Channel channel : channels) {
      List<Notification> reminders =
          own.stream()
              .filter(n -> n.purpose() == Purpose.REMINDER && n.channel() == channel)
              .toList();
      boolean covered =
          reminders.stream()
              .anyMatch(n -> n.sessionStart().equals(start) && n.state() != State.SUPERSEDED);
      if (covered) {
        continue;
      }
      boolean retimed = false;
      for (Notification n : reminders) {
        if (n.state() != State.PENDING) {
          continue;
        }
        if (!retimed && store.retime(n.id(), change.version(), start, due)) {
          retimed = true;
        } else {
          store.supersede(n.id(), replaced);
        }
      }
      if (retimed) {
        continue;
      }
      NotificationStore.Plan plan = plan(change, r, Purpose.REMINDER, channel);
      if (!now.isBefore(start)) {
        store.plan(plan, now, State.SKIPPED, "the session had started when it was planned");
      } else {
        store.plan(plan, due, State.PENDING, null);
      }
    }
    // channels no longer wanted (SMS turned off, phone removed): their pending rows go
    for (Notification n : own) {
      if (n.purpose() == Purpose.REMINDER
          && n.state() == State.PENDING
          && !channels.contains(n.channel())) {
        store.supersede(n.id(), "channel no longer used, " + replaced);
      }
    }
  }

  private static NotificationStore.Plan plan(
      AppointmentChange change, Recipient r, Purpose purpose, Channel channel) {
    return new NotificationStore.Plan(
        change.practiceId(),
        change.appointmentId(),
        r.kind(),
        r.id(),
        purpose,
        channel,
        change.version(),
        change.start());
  }

  private List<Recipient> recipients(AppointmentChange change) {
    List<Recipient> recipients = new ArrayList<>();
    for (UUID id : change.clientIds()) {
      Optional<Client> client = practices.client(change.practiceId(), id);
      client.ifPresent(
          c -> recipients.add(new Recipient(RecipientKind.CLIENT, c.id(), blankToNull(c.phone()))));
    }
    recipients.add(new Recipient(RecipientKind.PROVIDER, change.providerId(), null));
    return recipients;
  }

  private static List<Notification> own(List<Notification> rows, Recipient r) {
    return rows.stream()
        .filter(n -> n.recipientKind() == r.kind() && n.recipientId().equals(r.id()))
        .toList();
  }

  private static boolean isRecipient(List<Recipient> recipients, Notification row) {
    return recipients.stream()
        .anyMatch(r -> r.kind() == row.recipientKind() && r.id().equals(row.recipientId()));
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
