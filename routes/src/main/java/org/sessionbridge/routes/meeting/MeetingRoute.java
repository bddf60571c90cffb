package org.sessionbridge.routes.meeting;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;

/**
 * meeting-sync: every {@code pollInterval}, claim the meeting rows with work due (a new version, a
 * webhook, the sweep, a retry) and reconcile them in parallel, batch after batch until none is due.
 * The reconciler stores every outcome on the row, so nothing here retries in memory.
 */
public final class MeetingRoute extends RouteBuilder {

  public static final String ROUTE_ID = "meeting-sync";

  private final MeetingStore store;
  private final MeetingReconciler reconciler;
  private final Duration pollInterval;
  private final Duration lease;
  private final int batchSize;
  private final ExecutorService workers;

  public MeetingRoute(
      MeetingStore store,
      MeetingReconciler reconciler,
      Duration pollInterval,
      Duration lease,
      int batchSize,
      ExecutorService workers) {
    this.store = store;
    this.reconciler = reconciler;
    this.pollInterval = pollInterval;
    this.lease = lease;
    this.batchSize = batchSize;
    this.workers = workers;
  }

  /** The next rows this node works on, leased to it. */
  public List<MeetingWork> claim() {
    return store.claimDue(batchSize, reconciler.worker(), lease);
  }

  @Override
  public void configure() {
    onException(Exception.class)
        .handled(true)
        .maximumRedeliveries(0)
        .log(
            LoggingLevel.WARN,
            "meeting poll failed (${exception.class.name}); the rows stay due and the next poll"
                + " takes them");

    from("timer:sessionbridge-meetings?delay=0&synchronous=true&period=" + pollInterval.toMillis())
        .routeId(ROUTE_ID)
        .setBody(method(this, "claim"))
        .loopDoWhile(simple("${body.size()} > 0"))
        .split(body())
        .parallelProcessing()
        .executorService(workers)
        .bean(reconciler, "reconcile")
        .end()
        .setBody(method(this, "claim"))
        .end();
  }
}
