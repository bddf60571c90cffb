package org.sessionbridge.routes.calendar;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.CalendarWork;
import org.sessionbridge.routes.work.ClaimLoopRoute;

/**
 * calendar-push: every {@code pollInterval}, claim the calendar event rows with work due (a new
 * version, a join link, a drift to put back, a retry) and reconcile them in parallel, batch after
 * batch until none is due. The reconciler stores every outcome on the row, so nothing here retries
 * in memory.
 */
public final class CalendarPushRoute extends ClaimLoopRoute {

  public static final String ROUTE_ID = "calendar-push";

  private final CalendarStore store;
  private final CalendarPushReconciler reconciler;
  private final Duration lease;
  private final int batchSize;

  public CalendarPushRoute(
      CalendarStore store,
      CalendarPushReconciler reconciler,
      Duration pollInterval,
      Duration lease,
      int batchSize,
      ExecutorService workers) {
    super(ROUTE_ID, pollInterval, workers, reconciler, "reconcile", "calendar event rows");
    this.store = store;
    this.reconciler = reconciler;
    this.lease = lease;
    this.batchSize = batchSize;
  }

  /** The next rows this node works on, leased to it. */
  @Override
  public List<CalendarWork> claim() {
    return store.claimDue(batchSize, reconciler.worker(), lease);
  }
}
