package org.sessionbridge.routes.meeting;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.routes.work.ClaimLoopRoute;

/**
 * meeting-sync: every {@code pollInterval}, claim the meeting rows with work due (a new version, a
 * webhook, the sweep, a retry) and reconcile them in parallel, batch after batch until none is due.
 * The reconciler stores every outcome on the row, so nothing here retries in memory.
 */
public final class MeetingRoute extends ClaimLoopRoute {

  public static final String ROUTE_ID = "meeting-sync";

  private final MeetingStore store;
  private final MeetingReconciler reconciler;
  private final Duration lease;
  private final int batchSize;

  public MeetingRoute(
      MeetingStore store,
      MeetingReconciler reconciler,
      Duration pollInterval,
      Duration lease,
      int batchSize,
      ExecutorService workers) {
    super(ROUTE_ID, pollInterval, workers, reconciler, "reconcile", "meeting rows");
    this.store = store;
    this.reconciler = reconciler;
    this.lease = lease;
    this.batchSize = batchSize;
  }

  /** The next rows this node works on, leased to it. */
  @Override
  public List<MeetingWork> claim() {
    return store.claimDue(batchSize, reconciler.worker(), lease);
  }
}
