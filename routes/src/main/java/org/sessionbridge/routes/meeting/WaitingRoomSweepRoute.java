package org.sessionbridge.routes.meeting;

import java.time.Duration;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.port.MeetingPlatformException;
import org.sessionbridge.core.practice.VideoPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * waiting-room-sweep: every {@code interval}, ask for a read-back of every upcoming meeting (drift
 * that arrived without a webhook is repaired by the meeting route) and look for orphaned meetings
 * carrying our reference on each host. Webhooks are not guaranteed; this is the backstop.
 */
public final class WaitingRoomSweepRoute extends RouteBuilder {

  public static final String ROUTE_ID = "waiting-room-sweep";

  private static final Logger log = LoggerFactory.getLogger(WaitingRoomSweepRoute.class);

  private final MeetingStore store;
  private final MeetingReconciler reconciler;
  private final Iterable<VideoPlatform> platforms;
  private final Duration interval;
  private final Duration horizon;

  public WaitingRoomSweepRoute(
      MeetingStore store,
      MeetingReconciler reconciler,
      Iterable<VideoPlatform> platforms,
      Duration interval,
      Duration horizon) {
    this.store = store;
    this.reconciler = reconciler;
    this.platforms = platforms;
    this.interval = interval;
    this.horizon = horizon;
  }

  /** One sweep; returns how many meetings were asked to be checked. */
  public int sweep() {
    int asked = store.requestSweep(horizon);
    int reaped = 0;
    for (VideoPlatform platform : platforms) {
      for (MeetingStore.HostAccount account : store.hosts(platform)) {
        try {
          reaped += reconciler.reapOrphans(account.practiceId(), platform, account.host());
        } catch (MeetingPlatformException e) {
          log.info(
              "orphan search on {} for a host of practice {} skipped: {}",
              platform,
              account.practiceId(),
              e.getMessage());
        }
      }
    }
    store.purgeReceipts(Duration.ofHours(1));
    if (asked > 0 || reaped > 0) {
      log.info("waiting-room sweep: {} meetings to check, {} orphans deleted", asked, reaped);
    }
    return asked;
  }

  @Override
  public void configure() {
    onException(Exception.class)
        .handled(true)
        .maximumRedeliveries(0)
        .log(LoggingLevel.WARN, "waiting-room sweep failed (${exception.class.name}); next run");

    from("timer:sessionbridge-waiting-room-sweep?synchronous=true&delay="
            + interval.toMillis()
            + "&period="
            + interval.toMillis())
        .routeId(ROUTE_ID)
        .bean(this, "sweep");
  }
}
