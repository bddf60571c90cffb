package org.sessionbridge.routes.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.Notification.Purpose;
import org.sessionbridge.core.notification.Notification.State;
import org.sessionbridge.core.notification.NotificationStore;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one claimed notification row and records what became of it.
 *
 * <ol>
 *   <li>Waits (the row stays due a little later) while the appointment has a version the planner
 *       has not planned yet: the planner may still move or supersede the row.
 *   <li>Compares the row with the appointment as it stands: a reminder for another start, or a
 *       notice that no longer fits the status, is SUPERSEDED; a reminder whose session has started,
 *       or a notice whose session is over, is SKIPPED.
 *   <li>Renders the message, records the intent (one more attempt, committed), sends, and records
 *       SENT, FAILED (refused for good, or out of attempts) or a retry with backoff that honours
 *       {@code Retry-After}.
 * </ol>
 *
 * A crash between the intent and the record leaves the row pending with its attempt counted; once
 * its lease runs out it is sent again: an SMS with the same {@code Idempotency-Key} (the gateway
 * drops the copy), an e-mail with the same Message-ID (at most one extra copy per crash; see
 * docs/NOTIFICATIONS.md). Logs carry row and appointment ids only.
 */
public final class NotificationSender {

  private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);

  private final NotificationStore store;
  private final AppointmentBook book;
  private final NotificationMessages messages;
  private final @Nullable SmtpMailer mailer;
  private final @Nullable SmsGateway sms;
  private final RetryPolicy retry;
  private final Duration planWait;
  private final Clock clock;
  private final String worker;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  /**
   * @param mailer null when no SMTP server is configured (e-mail rows wait, retried with backoff)
   * @param sms null when no SMS gateway is configured (SMS rows are skipped)
   * @param planWait how long a row waits for the planner to catch up with a newer version
   */
  public NotificationSender(
      NotificationStore store,
      AppointmentBook book,
      NotificationMessages messages,
      @Nullable SmtpMailer mailer,
      @Nullable SmsGateway sms,
      RetryPolicy retry,
      Duration planWait,
      Clock clock,
      String worker) {
    this.store = store;
    this.book = book;
    this.messages = messages;
    this.mailer = mailer;
    this.sms = sms;
    this.retry = retry;
    this.planWait = planWait;
    this.clock = clock;
    this.worker = worker;
  }

  public String worker() {
    return worker;
  }

  /**
   * Works one row this node claimed. Never throws: an unexpected error leaves the row due again
   * after a backoff (logged with ids and the exception type only), so one bad row cannot stop the
   * others.
   */
  public void send(Notification n) {
    try {
      work(n);
    } catch (RuntimeException e) {
      log.warn(
          "notification {} of appointment {} could not be worked ({}); retried later",
          n.id(),
          n.appointmentId(),
          e.getClass().getName());
      log.debug("notification {} failure", n.id(), e);
      retried.incrementAndGet();
      store.retry(
          n.id(),
          worker,
          clock
              .instant()
              .plus(retry.backoffAfter(n.attempts() + 1, ThreadLocalRandom.current()::nextDouble)),
          "internal error: " + e.getClass().getSimpleName());
    }
  }

  private void work(Notification n) {
    Instant now = clock.instant();
    Optional<Appointment> found = book.find(n.practiceId(), n.appointmentId());
    if (found.isEmpty()) {
      end(n, State.SKIPPED, "appointment not found");
      return;
    }
    Appointment a = found.get();
    if (store.plannedVersion(a.id()) < a.version()) {
      store.retry(
          n.id(),
          worker,
          now.plus(planWait),
          "waiting for appointment version " + a.version() + " to be planned");
      return;
    }
    Optional<String> superseded = superseded(n, a);
    if (superseded.isPresent()) {
      end(n, State.SUPERSEDED, superseded.get());
      return;
    }
    if (n.purpose() == Purpose.REMINDER ? !now.isBefore(a.start()) : !now.isBefore(a.end())) {
      end(
          n,
          State.SKIPPED,
          n.purpose() == Purpose.REMINDER
              ? "the session had started before the reminder could go out"
              : "the session was over before the notice could go out");
      return;
    }
    Rendered rendered = messages.render(n, a);
    if (rendered instanceof Rendered.Skip skip) {
      end(n, State.SKIPPED, skip.reason());
      return;
    }
    if (rendered instanceof Sms && sms == null) {
      end(n, State.SKIPPED, "no SMS gateway configured");
      return;
    }
    if (rendered instanceof Email && mailer == null) {
      store.retry(n.id(), worker, now.plus(retry.maxBackoff()), "no SMTP server configured");
      return;
    }
    if (!store.begin(n.id(), worker)) {
      return; // the lease passed to another node: it sends
    }
    Delivery delivery =
        rendered instanceof Email email
            ? java.util.Objects.requireNonNull(mailer).send(email)
            : java.util.Objects.requireNonNull(sms).send((Sms) rendered);
    record(n, delivery);
  }

  private Optional<String> superseded(Notification n, Appointment a) {
    if (n.purpose() == Purpose.CANCELLED) {
      return a.status() == AppointmentStatus.CANCELLED
          ? Optional.empty()
          : Optional.of("the session is not cancelled");
    }
    if (a.status() != AppointmentStatus.BOOKED) {
      return Optional.of("the session is " + a.status().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (n.purpose() == Purpose.REMINDER && !a.start().equals(n.sessionStart())) {
      return Optional.of("the session moved; its new start has a reminder of its own");
    }
    return Optional.empty();
  }

  private void record(Notification n, Delivery delivery) {
    int attempts = n.attempts() + 1;
    if (delivery instanceof Delivery.Accepted) {
      if (store.finish(n.id(), worker, State.SENT, null)) {
        sent.incrementAndGet();
      }
    } else if (delivery instanceof Delivery.Refused refused) {
      failed.incrementAndGet();
      log.warn(
          "notification {} ({} {}) of appointment {} refused: {}",
          n.id(),
          n.purpose(),
          n.channel(),
          n.appointmentId(),
          refused.reason());
      store.finish(n.id(), worker, State.FAILED, refused.reason());
    } else if (delivery instanceof Delivery.Retry again) {
      if (attempts >= retry.maxAttempts()) {
        failed.incrementAndGet();
        log.warn(
            "notification {} ({} {}) of appointment {} failed after {} attempts: {}",
            n.id(),
            n.purpose(),
            n.channel(),
            n.appointmentId(),
            attempts,
            again.reason());
        store.finish(
            n.id(), worker, State.FAILED, again.reason() + " (after " + attempts + " attempts)");
        return;
      }
      retried.incrementAndGet();
      Duration wait = retry.backoffAfter(attempts, ThreadLocalRandom.current()::nextDouble);
      Duration after = again.after();
      if (after != null && after.compareTo(wait) > 0) {
        wait = after;
      }
      store.retry(n.id(), worker, clock.instant().plus(wait), again.reason());
    }
  }

  private void end(Notification n, State state, String reason) {
    if (store.finish(n.id(), worker, state, reason) && state == State.SKIPPED) {
      skipped.incrementAndGet();
    }
  }

  public long sentCount() {
    return sent.get();
  }

  public long failedCount() {
    return failed.get();
  }

  public long retryCount() {
    return retried.get();
  }

  public long skippedCount() {
    return skipped.get();
  }
}
