package org.sessionbridge.routes.work;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The shape every work route of the hub shares: every {@code pollInterval}, {@link #claim()} a
 * batch of rows that are due (leased to this node by the store), hand each to {@code target}'s
 * {@code method} in parallel on {@code workers}, and claim again until nothing is due. The work
 * method stores every outcome on its row, so nothing is retried in memory and Camel's own
 * redelivery stays off; a failed poll leaves the rows due for the next one.
 *
 * <p>The timer is synchronous: the next tick waits for this poll's parallel work, so polls of one
 * node never overlap.
 */
public abstract class ClaimLoopRoute extends RouteBuilder {

  private final String routeId;
  private final Duration pollInterval;
  private final ExecutorService workers;
  private final Object target;
  private final String method;
  private final String what;

  /**
   * @param what what the rows are, for the log line of a failed poll ("meeting rows")
   */
  protected ClaimLoopRoute(
      String routeId,
      Duration pollInterval,
      ExecutorService workers,
      Object target,
      String method,
      String what) {
    this.routeId = routeId;
    this.pollInterval = pollInterval;
    this.workers = workers;
    this.target = target;
    this.method = method;
    this.what = what;
  }

  /** The next items this node works on, leased to it; empty when nothing is due. */
  public abstract List<?> claim();

  @Override
  public void configure() {
    onException(Exception.class)
        .handled(true)
        .maximumRedeliveries(0)
        .log(
            LoggingLevel.WARN,
            routeId
                + " poll failed (${exception.class.name}); the "
                + what
                + " stay due and the next poll takes them");

    from("timer:sessionbridge-"
            + routeId
            + "?delay=0&synchronous=true&period="
            + pollInterval.toMillis())
        .routeId(routeId)
        .setBody(method(this, "claim"))
        .loopDoWhile(simple("${body.size()} > 0"))
        .split(body())
        .parallelProcessing()
        .executorService(workers)
        .bean(target, method)
        .end()
        .setBody(method(this, "claim"))
        .end();
  }
}
