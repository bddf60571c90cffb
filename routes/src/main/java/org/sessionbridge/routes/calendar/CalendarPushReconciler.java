package org.sessionbridge.routes.calendar;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarAudit.Action;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.CalendarWork;
import org.sessionbridge.core.calendar.Drift;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one appointment's event in one linked calendar in line with what its newest version wants.
 * One pass per claimed row: a wanted event is upserted (telehealth sessions first pick up a join
 * link that appeared since planning); an unwanted one is removed as the link prefers (deleted or
 * marked cancelled). A drift the pull found (the owner moved or deleted our event) is put back by
 * the same upsert and audited. The port is idempotent per appointment, so no intent is recorded
 * before a call; results are recorded under the lease.
 *
 * <p>Failures never escape: they are stored on the row. {@link CalendarProviderException.Retryable}
 * backs off (honouring the vendor's wait); {@link CalendarProviderException.NotAuthorized} marks
 * the link {@code NEEDS_REAUTHORIZATION} and {@link CalendarProviderException.Gone} marks it {@code
 * CALENDAR_GONE}, parking all of its rows until it works again; {@link
 * CalendarProviderException.Rejected} leaves the row {@code FAILED} for a person.
 *
 * <p><b>Threading.</b> Called from several workers; each row is worked by one worker at a time
 * under a lease, and every write names the lease, so a worker that lost its lease changes nothing.
 */
public final class CalendarPushReconciler {

  private static final Logger log = LoggerFactory.getLogger(CalendarPushReconciler.class);

  /** Waits longer than this leave the row DEFERRED rather than PENDING (for metrics). */
  private static final Duration LONG_WAIT = Duration.ofMinutes(1);

  private static final Duration PARKED_FOR = Duration.ofDays(3650);

  private final CalendarStore store;
  private final CalendarProvider provider;
  private final CalendarAccounts accounts;
  private final JoinLinks joinLinks;
  private final CalendarEvents events;
  private final RetryPolicy retry;
  private final Clock clock;
  private final String worker;
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong pushes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public CalendarPushReconciler(
      CalendarStore store,
      CalendarProvider provider,
      CalendarAccounts accounts,
      JoinLinks joinLinks,
      CalendarEvents events,
      RetryPolicy retry,
      Clock clock,
      String worker) {
    this.store = store;
    this.provider = provider;
    this.accounts = accounts;
    this.joinLinks = joinLinks;
    this.events = events;
    this.retry = retry;
    this.clock = clock;
    this.worker = worker;
  }

  public String worker() {
    return worker;
  }

  public long passCount() {
    return passes.get();
  }

  /** Upserts and removals this reconciler sent. */
  public long pushCount() {
    return pushes.get();
  }

  public long failureCount() {
    return failures.get();
  }

  /** Works one claimed row; never throws. */
  public void reconcile(CalendarWork claimed) {
    passes.incrementAndGet();
    try {
      run(claimed);
    } catch (LeaseLost e) {
      log.info(
          "calendar work for appointment {} in link {} moved to another worker; this pass stops",
          claimed.appointmentId(),
          claimed.linkId());
    } catch (CalendarProviderException.Retryable e) {
      retryLater(claimed, e.retryAfter().orElse(null), e.getMessage());
    } catch (CalendarProviderException.NotAuthorized e) {
      stopLink(claimed, CalendarLink.Status.NEEDS_REAUTHORIZATION, e.getMessage());
    } catch (CalendarProviderException.Gone e) {
      stopLink(claimed, CalendarLink.Status.CALENDAR_GONE, e.getMessage());
    } catch (CalendarProviderException.Rejected e) {
      failures.incrementAndGet();
      store.fail(
          claimed.appointmentId(),
          claimed.linkId(),
          worker,
          CalendarWork.State.FAILED,
          clock.instant().plus(PARKED_FOR),
          String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      // A bug, the database, or a cursor error where none belongs: keep the row, try again later.
      log.warn(
          "calendar work for appointment {} in link {} failed",
          claimed.appointmentId(),
          claimed.linkId(),
          e);
      retryLater(claimed, null, e.getClass().getName());
    }
  }

  private void run(CalendarWork w) {
    CalendarLink link =
        store
            .linkById(w.linkId())
            .orElseThrow(() -> new IllegalStateException("calendar link " + w.linkId() + " gone"));
    if (link.status() != CalendarLink.Status.ACTIVE) {
      // Parked while the row was claimed: park this one too, without a call.
      throw link.status() == CalendarLink.Status.CALENDAR_GONE
          ? new CalendarProviderException.Gone(String.valueOf(link.statusReason()), null)
          : new CalendarProviderException.NotAuthorized(String.valueOf(link.statusReason()), null);
    }
    CalendarAccount account =
        accounts
            .account(link)
            .orElseThrow(
                () ->
                    new CalendarProviderException.NotAuthorized(
                        "the hub holds no credentials for calendar link " + link.id(), null));
    if (w.present()) {
      CalendarEvent event = withCurrentJoin(w);
      ExternalEvent stored = provider.upsert(account, link.calendarId(), event);
      pushes.incrementAndGet();
      check(store.recordPushed(w.appointmentId(), w.linkId(), worker, stored));
      Drift drift = w.drift();
      if (drift != null) {
        store.audit(
            w,
            stored.externalId(),
            Action.RESTORED,
            drift == Drift.MOVED
                ? "moved in the calendar; put back to version " + event.version()
                : "deleted in the calendar; made again from version " + event.version());
      } else if (stored.created()) {
        store.audit(w, stored.externalId(), Action.CREATED, "version " + event.version());
      } else if (w.syncedVersion() < w.wantedVersion() || w.checkSeq() > w.checkedSeq()) {
        store.audit(w, stored.externalId(), Action.UPDATED, "version " + event.version());
      }
    } else {
      boolean removed =
          provider.remove(account, link.calendarId(), w.appointmentId(), link.removal());
      pushes.incrementAndGet();
      check(store.recordRemoved(w.appointmentId(), w.linkId(), worker));
      if (removed) {
        store.audit(w, w.externalId(), Action.REMOVED, link.removal().name());
      }
    }
    check(store.finish(w.appointmentId(), w.linkId(), worker, w.wantedVersion(), w.checkSeq()));
  }

  /**
   * The wanted event with the join link as it is now: a meeting made after the row was planned
   * brings its link, and the "link follows" hint goes away. Stored on the row under the lease.
   */
  private CalendarEvent withCurrentJoin(CalendarWork w) {
    CalendarEvent event = w.event();
    if (w.modality() != Modality.TELEHEALTH) {
      return event;
    }
    Optional<CalendarEvent.Join> now = joinLinks.join(w.practiceId(), w.appointmentId());
    if (now.isEmpty() || sameJoin(now.get(), event.join().orElse(null))) {
      return event;
    }
    String description = CalendarProjection.description(w.modality(), now);
    check(store.recordJoin(w.appointmentId(), w.linkId(), worker, now.get(), description));
    return new CalendarEvent(
        event.appointmentId(),
        event.version(),
        event.title(),
        description,
        event.start(),
        event.end(),
        event.timeZone(),
        event.location(),
        now,
        event.status());
  }

  private static boolean sameJoin(CalendarEvent.Join a, CalendarEvent.@Nullable Join b) {
    return b != null && a.url().equals(b.url()) && a.instructions().equals(b.instructions());
  }

  private void retryLater(CalendarWork w, @Nullable Duration retryAfter, @Nullable String message) {
    failures.incrementAndGet();
    Duration backoff =
        retry.backoffAfter(w.attempts() + 1, ThreadLocalRandom.current()::nextDouble);
    Duration wait = retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    CalendarWork.State state =
        retryAfter != null && retryAfter.compareTo(LONG_WAIT) > 0
            ? CalendarWork.State.DEFERRED
            : CalendarWork.State.PENDING;
    store.fail(
        w.appointmentId(),
        w.linkId(),
        worker,
        state,
        clock.instant().plus(wait),
        String.valueOf(message));
  }

  /**
   * The link's authorisation or calendar is gone: every call for it would be refused the same way.
   * This row and every other waiting row of the link park until the owner acts.
   */
  private void stopLink(CalendarWork w, CalendarLink.Status status, @Nullable String message) {
    failures.incrementAndGet();
    String reason = String.valueOf(message);
    store.fail(
        w.appointmentId(),
        w.linkId(),
        worker,
        CalendarWork.State.PARKED,
        clock.instant().plus(PARKED_FOR),
        reason);
    Optional<CalendarLink> before = store.linkById(w.linkId());
    if (before.isPresent() && before.get().status() == CalendarLink.Status.ACTIVE) {
      store.parkLink(w.linkId(), status, reason);
      log.warn("calendar link {} stopped: {}", w.linkId(), status);
      store.linkById(w.linkId()).ifPresent(now -> events.linkStopped(now, reason));
    } else {
      store.parkLink(w.linkId(), before.map(CalendarLink::status).orElse(status), reason);
    }
  }

  /** Thrown inside a pass when a write finds that the lease went to another worker. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost() {
      super(null, null, false, false);
    }
  }

  private static void check(boolean leaseHeld) {
    if (!leaseHeld) {
      throw new LeaseLost();
    }
  }
}
