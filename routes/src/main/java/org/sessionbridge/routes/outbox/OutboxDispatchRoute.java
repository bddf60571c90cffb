package org.sessionbridge.routes.outbox;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.apache.camel.builder.RouteBuilder;

/**
 * outbox-poll: every {@code pollInterval}, take the due events (one per appointment) and deliver
 * them in parallel; keep taking batches until none is due. Failures never escape a delivery (the
 * dispatcher records them durably), so Camel's own redelivery is off: an in-memory retry would be
 * forgotten by a crash, the outbox row is not.
 */
public final class OutboxDispatchRoute extends RouteBuilder {

  public static final String ROUTE_ID = "outbox-poll";

  private final OutboxDispatcher dispatcher;
  private final Duration pollInterval;
  private final ExecutorService workers;

  public OutboxDispatchRoute(
      OutboxDispatcher dispatcher, Duration pollInterval, ExecutorService workers) {
    this.dispatcher = dispatcher;
    this.pollInterval = pollInterval;
    this.workers = workers;
  }

  @Override
  public void configure() {
    onException(Exception.class)
        .handled(true)
        .maximumRedeliveries(0)
        .log(
            org.apache.camel.LoggingLevel.WARN,
            "outbox poll failed (${exception.class.name}); the events stay pending and the next"
                + " poll retries them");

    // synchronous: the next tick waits for this poll's parallel deliveries, so polls never overlap.
    from("timer:sessionbridge-outbox?delay=0&synchronous=true&period=" + pollInterval.toMillis())
        .routeId(ROUTE_ID)
        .setBody(method(dispatcher, "nextBatch"))
        .loopDoWhile(simple("${body.size()} > 0"))
        .split(body())
        .parallelProcessing()
        .executorService(workers)
        .bean(dispatcher, "dispatch")
        .end()
        .setBody(method(dispatcher, "nextBatch"))
        .end();
  }
}
