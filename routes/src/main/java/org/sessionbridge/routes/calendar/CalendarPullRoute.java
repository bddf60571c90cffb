package org.sessionbridge.routes.calendar;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.routes.work.ClaimLoopRoute;

/**
 * calendar-pull: every {@code checkInterval}, claim the linked calendars whose pull is due (the
 * polling fallback came round, or a webhook asked through {@link CalendarStore#requestPull}) and
 * pull them in parallel, batch after batch until none is due. Pushes from the vendor are not
 * guaranteed; the polling interval of the reconciler bounds how stale busy time can get.
 */
public final class CalendarPullRoute extends ClaimLoopRoute {

  public static final String ROUTE_ID = "calendar-pull";

  private final CalendarStore store;
  private final CalendarPullReconciler reconciler;
  private final Duration lease;
  private final int batchSize;

  public CalendarPullRoute(
      CalendarStore store,
      CalendarPullReconciler reconciler,
      Duration checkInterval,
      Duration lease,
      int batchSize,
      ExecutorService workers) {
    super(ROUTE_ID, checkInterval, workers, reconciler, "pull", "linked calendars");
    this.store = store;
    this.reconciler = reconciler;
    this.lease = lease;
    this.batchSize = batchSize;
  }

  /** The next links this node pulls, leased to it. */
  @Override
  public List<CalendarLink> claim() {
    return store.claimPulls(batchSize, reconciler.worker(), lease);
  }
}
