package org.sessionbridge.routes.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.outbox.DeliveryOutcome;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers each outbox event to every registered handler, in registration order. A handler that fails
 * stops this attempt (later handlers wait, so one appointment's effects stay in order); handlers
 * that already succeeded are not called again on the retry.
 *
 * <p>Retries are durable: the attempt count and the next due time live in the outbox row, so a
 * restart neither forgets a backoff nor loses an event.
 */
public final class OutboxDispatcher {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final OutboxStore store;
  private final List<AppointmentChangeHandler> handlers;
  private final RetryPolicy retry;
  private final int batchSize;

  /** How long the drain rests after the store itself failed, so a sick database is not hammered. */
  static final Duration STORE_FAILURE_PAUSE = Duration.ofSeconds(5);

  /** The outbox_handler_done.handler and failed_handler columns hold this much. */
  static final int MAX_NAME_LENGTH = 100;

  private volatile long pausedUntil = System.nanoTime();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();

  public OutboxDispatcher(
      OutboxStore store,
      List<AppointmentChangeHandler> handlers,
      RetryPolicy retry,
      int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "sessionbridge.outbox.batch-size must be at least 1: " + batchSize);
    }
    this.store = store;
    this.handlers = List.copyOf(handlers);
    this.retry = retry;
    this.batchSize = batchSize;
    for (AppointmentChangeHandler h : this.handlers) {
      if (h.name().isBlank() || h.name().length() > MAX_NAME_LENGTH) {
        throw new IllegalStateException(
            "an appointment change handler needs a name of 1 to "
                + MAX_NAME_LENGTH
                + " characters (it is stored with each delivery): "
                + h.getClass().getName());
      }
    }
    long distinct = this.handlers.stream().map(AppointmentChangeHandler::name).distinct().count();
    if (distinct != this.handlers.size()) {
      throw new IllegalStateException("two appointment change handlers share a name: " + names());
    }
  }

  /**
   * The next events that are due, at most one per appointment, so they can run in parallel. Empty
   * while the drain is paused after the store refused to record an outcome.
   */
  public List<AppointmentChange> nextBatch() {
    if (System.nanoTime() - pausedUntil < 0) {
      return List.of();
    }
    return store.nextBatch(batchSize);
  }

  /**
   * Delivers one event to every handler that has not taken it yet, or records why it could not. If
   * even that record fails (the database refuses), the drain pauses for {@link
   * #STORE_FAILURE_PAUSE} instead of re-offering the still-due event at once, over and over.
   */
  public void dispatch(AppointmentChange change) {
    try {
      deliverToHandlers(change);
    } catch (RuntimeException | Error e) {
      pausedUntil = System.nanoTime() + STORE_FAILURE_PAUSE.toNanos();
      log.warn(
          "outbox event {}: the store refused to record the outcome ({}); pausing the drain for {}"
              + " s, nothing is lost: the event stays pending",
          change.eventId(),
          e.getClass().getName(),
          STORE_FAILURE_PAUSE.toSeconds());
    }
  }

  private void deliverToHandlers(AppointmentChange change) {
    for (AppointmentChangeHandler handler : handlers) {
      DeliveryOutcome outcome;
      try {
        outcome = store.deliver(change.eventId(), handler.name(), handler::onChange);
      } catch (RuntimeException | Error e) {
        // An Error (NoClassDefFoundError from a vendor SDK, StackOverflowError) fails the attempt
        // like any exception. Left to escape, Camel's onException would swallow it inside the
        // split and the poll loop would re-offer the still-due event at once, without end.
        fail(change, handler, e);
        return;
      }
      if (outcome == DeliveryOutcome.NOT_PENDING) {
        return;
      }
    }
    store.markDelivered(change.eventId());
    delivered.incrementAndGet();
  }

  private void fail(AppointmentChange change, AppointmentChangeHandler handler, Throwable e) {
    failed.incrementAndGet();
    int attempt = store.attempts(change.eventId()) + 1;
    boolean dead =
        store.recordFailure(
            change.eventId(),
            handler.name(),
            e,
            retry.maxAttempts(),
            retry.backoffAfter(attempt, ThreadLocalRandom.current()::nextDouble));
    // Ids and exception type only: messages may carry vendor text we do not control.
    if (dead) {
      deadLettered.incrementAndGet();
      log.warn(
          "outbox event {} (appointment {} v{}) dead-lettered after {} attempts; handler {} failed"
              + " with {}",
          change.eventId(),
          change.appointmentId(),
          change.version(),
          attempt,
          handler.name(),
          e.getClass().getName());
    } else {
      log.info(
          "outbox event {} (appointment {} v{}) attempt {} failed in handler {} ({}); will retry",
          change.eventId(),
          change.appointmentId(),
          change.version(),
          attempt,
          handler.name(),
          e.getClass().getName());
    }
  }

  public List<String> names() {
    return handlers.stream().map(AppointmentChangeHandler::name).toList();
  }

  public long deliveredCount() {
    return delivered.get();
  }

  public long failedAttemptCount() {
    return failed.get();
  }

  public long deadLetteredCount() {
    return deadLettered.get();
  }
}
