package org.sessionbridge.routes.calendar;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.routes.work.ClaimLoopRoute;

/**
 * calendar-channels: every {@code checkInterval}, claim the ACTIVE Google links whose push channel
 * is missing, expires within the renewal margin or has an old channel left to stop, and let the
 * {@link CalendarChannelKeeper} open, renew and stop channels in parallel. Pushes only speed pulls
 * up: the pull route's polling fallback runs whatever happens here.
 */
public final class CalendarChannelRoute extends ClaimLoopRoute {

  public static final String ROUTE_ID = "calendar-channels";

  private final CalendarStore store;
  private final CalendarChannelKeeper keeper;
  private final Duration lease;
  private final int batchSize;

  public CalendarChannelRoute(
      CalendarStore store,
      CalendarChannelKeeper keeper,
      Duration checkInterval,
      Duration lease,
      int batchSize,
      ExecutorService workers) {
    super(ROUTE_ID, checkInterval, workers, keeper, "keep", "calendar channels");
    this.store = store;
    this.keeper = keeper;
    this.lease = lease;
    this.batchSize = batchSize;
  }

  /** The next links whose channels this node works on, held for the lease. */
  @Override
  public List<CalendarStore.ChannelWork> claim() {
    return store.claimChannels(batchSize, keeper.renewalMargin(), lease);
  }
}
