package org.sessionbridge.routes.calendar;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;

/**
 * calendar-pull: every {@code checkInterval}, claim the linked calendars whose pull is due (the
 * polling fallback came round, or a webhook asked through {@link CalendarStore#requestPull}) and
 * pull them in parallel, batch after batch until none is due. Pushes from the vendor are not
 * guaranteed; the polling interval of the reconciler bounds how stale busy time can get.
 */
public final class CalendarPullRoute extends RouteBuilder {

  public static final String ROUTE_ID = "calendar-pull";

  private final CalendarStore store;
  private final CalendarPullReconciler reconciler;
  private final Duration checkInterval;
  private final Duration lease;
  private final int batchSize;
  private final ExecutorService workers;

  public CalendarPullRoute(
      CalendarStore store,
      CalendarPullReconciler reconciler,
      Duration checkInterval,
      Duration lease,
      int batchSize,
      ExecutorService workers) {
    this.store = store;
    this.reconciler = reconciler;
    this.checkInterval = checkInterval;
    this.lease = lease;
    this.batchSize = batchSize;
    this.workers = workers;
  }

  /** The next links this node pulls, leased to it. */
  public List<CalendarLink> claim() {
    return store.claimPulls(batchSize, reconciler.worker(), lease);
  }

  @Override
  public void configure() {
    onException(Exception.class)
        .handled(true)
        .maximumRedeliveries(0)
        .log(
            LoggingLevel.WARN,
            "calendar pull poll failed (${exception.class.name}); the links stay due and the next"
                + " poll takes them");

    from("timer:sessionbridge-calendar-pull?delay=0&synchronous=true&period="
            + checkInterval.toMillis())
        .routeId(ROUTE_ID)
        .setBody(method(this, "claim"))
        .loopDoWhile(simple("${body.size()} > 0"))
        .split(body())
        .parallelProcessing()
        .executorService(workers)
        .bean(reconciler, "pull")
        .end()
        .setBody(method(this, "claim"))
        .end();
  }
}
