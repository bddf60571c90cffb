package org.sessionbridge.routes.calendar;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.CalendarWork;

/**
 * calendar-push: every {@code pollInterval}, claim the calendar event rows with work due (a new
 * version, a join link, a drift to put back, a retry) and reconcile them in parallel, batch after
 * batch until none is due. The reconciler stores every outcome on the row, so nothing here retries
 * in memory.
 */
public final class CalendarPushRoute extends RouteBuilder {

  public static final String ROUTE_ID = "calendar-push";

  private final CalendarStore store;
  private final CalendarPushReconciler reconciler;
  private final Duration pollInterval;
  private final Duration lease;
  private final int batchSize;
  private final ExecutorService workers;

  public CalendarPushRoute(
      CalendarStore store,
      CalendarPushReconciler reconciler,
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
  public List<CalendarWork> claim() {
    return store.claimDue(batchSize, reconciler.worker(), lease);
  }

  @Override
  public void configure() {
    onException(Exception.class)
        .handled(true)
        .maximumRedeliveries(0)
        .log(
            LoggingLevel.WARN,
            "calendar push poll failed (${exception.class.name}); the rows stay due and the next"
                + " poll takes them");

    from("timer:sessionbridge-calendar-push?delay=0&synchronous=true&period="
            + pollInterval.toMillis())
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
