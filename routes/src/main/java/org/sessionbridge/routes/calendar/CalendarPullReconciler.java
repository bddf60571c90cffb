package org.sessionbridge.routes.calendar;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one linked calendar's changes since its cursor and applies them: busy blocks stored or
 * freed (all replaced on a full sync), and our own events that the owner moved or deleted marked
 * for a push that puts them back (audited, so the practice sees it). An expired cursor is answered
 * with exactly one full read without a cursor. The pull only reads: it never deletes anything in
 * the calendar, least of all events the hub does not own.
 *
 * <p>Every ACTIVE link is pulled, also those that do not count as busy: the drift of our own events
 * matters there too (their busy time is not kept).
 *
 * <p><b>Threading.</b> Called from several workers; a link is pulled by one worker at a time under
 * its pull lease, and the result is stored only while the lease is held.
 */
public final class CalendarPullReconciler {

  private static final Logger log = LoggerFactory.getLogger(CalendarPullReconciler.class);

  private final CalendarStore store;
  private final CalendarProvider provider;
  private final CalendarAccounts accounts;
  private final CalendarEvents events;
  private final RetryPolicy retry;
  private final Duration pollInterval;
  private final Clock clock;
  private final String worker;
  private final AtomicLong pulls = new AtomicLong();
  private final AtomicLong fullSyncs = new AtomicLong();
  private final AtomicLong drifts = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public CalendarPullReconciler(
      CalendarStore store,
      CalendarProvider provider,
      CalendarAccounts accounts,
      CalendarEvents events,
      RetryPolicy retry,
      Duration pollInterval,
      Clock clock,
      String worker) {
    this.store = store;
    this.provider = provider;
    this.accounts = accounts;
    this.events = events;
    this.retry = retry;
    this.pollInterval = pollInterval;
    this.clock = clock;
    this.worker = worker;
  }

  public String worker() {
    return worker;
  }

  public long pullCount() {
    return pulls.get();
  }

  /** Full reads (first pulls and resyncs after an expired cursor). */
  public long fullSyncCount() {
    return fullSyncs.get();
  }

  public long driftCount() {
    return drifts.get();
  }

  public long failureCount() {
    return failures.get();
  }

  /** Pulls one claimed link; never throws. */
  public void pull(CalendarLink link) {
    pulls.incrementAndGet();
    try {
      CalendarAccount account =
          accounts
              .account(link)
              .orElseThrow(
                  () ->
                      new CalendarProviderException.NotAuthorized(
                          "the hub holds no credentials for calendar link " + link.id(), null));
      CalendarChanges changes = read(account, link);
      Optional<List<CalendarStore.FoundDrift>> found = store.applyPull(link.id(), worker, changes);
      if (found.isEmpty()) {
        log.info("calendar link {} moved to another worker; this pull stops", link.id());
        return;
      }
      if (!found.get().isEmpty()) {
        drifts.addAndGet(found.get().size());
        log.info(
            "calendar link {}: {} of our events were changed by the owner; they are put back",
            link.id(),
            found.get().size());
      }
      store.finishPull(link.id(), worker, link.pullSeq(), clock.instant().plus(pollInterval));
    } catch (CalendarProviderException.Retryable e) {
      retryLater(link, e.retryAfter().orElse(null), e.getMessage());
    } catch (CalendarProviderException.NotAuthorized e) {
      stop(link, CalendarLink.Status.NEEDS_REAUTHORIZATION, e.getMessage());
    } catch (CalendarProviderException.Gone e) {
      stop(link, CalendarLink.Status.CALENDAR_GONE, e.getMessage());
    } catch (RuntimeException e) {
      // Rejected, a second expired cursor, a bug or the database: try again later.
      log.warn("calendar pull of link {} failed", link.id(), e);
      retryLater(link, null, e.getClass().getName() + ": " + e.getMessage());
    }
  }

  private CalendarChanges read(CalendarAccount account, CalendarLink link) {
    String cursor = link.cursor();
    if (cursor != null) {
      try {
        return provider.changes(account, link.calendarId(), cursor);
      } catch (CalendarProviderException.CursorExpired e) {
        log.info("calendar link {}: the cursor expired; one full resync", link.id());
      }
    }
    fullSyncs.incrementAndGet();
    CalendarChanges full = provider.changes(account, link.calendarId(), null);
    if (!full.fullSync()) {
      throw new IllegalStateException(
          "the calendar connector answered a read without a cursor with a partial result");
    }
    return full;
  }

  private void retryLater(CalendarLink link, @Nullable Duration retryAfter, String message) {
    failures.incrementAndGet();
    Duration backoff =
        retry.backoffAfter(link.pullAttempts() + 1, ThreadLocalRandom.current()::nextDouble);
    Duration wait = retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    store.failPull(link.id(), worker, clock.instant().plus(wait), message);
  }

  private void stop(CalendarLink link, CalendarLink.Status status, @Nullable String message) {
    failures.incrementAndGet();
    String reason = String.valueOf(message);
    store.failPull(link.id(), worker, clock.instant().plus(pollInterval), reason);
    store.parkLink(link.id(), status, reason);
    log.warn("calendar link {} stopped: {}", link.id(), status);
    store.linkById(link.id()).ifPresent(now -> events.linkStopped(now, reason));
  }
}
