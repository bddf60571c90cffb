package org.sessionbridge.core.port;

import org.sessionbridge.core.appointment.AppointmentChange;

/**
 * Something that must happen when an appointment changes: create the meeting, push the calendar
 * event, schedule reminders. The outbox dispatcher calls every registered handler for every change.
 *
 * <p><b>Ordering.</b> For one appointment, changes arrive in increasing {@code version}. A dead
 * letter that an operator replays can arrive after later versions; compare versions and skip what
 * is stale.
 *
 * <p><b>Delivery.</b> {@link #onChange} runs inside a database transaction that also records the
 * handler as done. Writes the handler makes through the hub's data source commit with that mark, so
 * they happen exactly once. Effects outside the database (an HTTP call to Zoom or Google) can
 * repeat after a crash between the call and the commit: such handlers must be idempotent per
 * appointment and version (record the intent first, use deterministic ids, look up before
 * creating).
 *
 * <p><b>Failures.</b> Throw to fail the attempt: the dispatcher retries with backoff and, after the
 * configured number of attempts, moves the event to the dead-letter store with the exception's type
 * and message. Keep PHI (names, emails, titles) and secrets out of exception messages.
 *
 * <p><b>Threading.</b> Called from several dispatcher threads at once, never for two versions of
 * the same appointment at the same time.
 */
public interface AppointmentChangeHandler {

  /** Stable name, stored with each delivery; renaming a handler makes it see old events again. */
  String name();

  void onChange(AppointmentChange change);
}
