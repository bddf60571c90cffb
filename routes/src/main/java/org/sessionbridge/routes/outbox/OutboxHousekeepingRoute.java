package org.sessionbridge.routes.outbox;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.sessionbridge.core.outbox.OutboxStore;

/**
 * outbox-housekeeping: once an hour, delete delivered events older than the retention. Dead letters
 * and pending events are never purged.
 */
public final class OutboxHousekeepingRoute extends RouteBuilder {

  public static final String ROUTE_ID = "outbox-housekeeping";

  private final OutboxStore store;
  private final Duration retention;

  public OutboxHousekeepingRoute(OutboxStore store, Duration retention) {
    this.store = store;
    this.retention = retention;
  }

  @Override
  public void configure() {
    from("timer:sessionbridge-outbox-housekeeping?delay=60000&period=3600000")
        .routeId(ROUTE_ID)
        .process(exchange -> exchange.getMessage().setBody(store.purgeDelivered(retention)))
        .log("outbox housekeeping removed ${body} delivered events");
  }
}
