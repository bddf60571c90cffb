package org.sessionbridge.routes.notification;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.NotificationStore;
import org.sessionbridge.routes.work.ClaimLoopRoute;

/**
 * notification-send: every {@code pollInterval}, claim the notification rows that are due (a
 * reminder's moment came, a notice was planned, a retry's wait is over) under a lease and send them
 * in parallel, batch after batch until none is due. The sender stores every outcome on the row, so
 * nothing here retries in memory.
 */
public final class NotificationRoute extends ClaimLoopRoute {

  public static final String ROUTE_ID = "notification-send";

  private final NotificationStore store;
  private final NotificationSender sender;
  private final Duration lease;
  private final int batchSize;

  public NotificationRoute(
      NotificationStore store,
      NotificationSender sender,
      Duration pollInterval,
      Duration lease,
      int batchSize,
      ExecutorService workers) {
    super(ROUTE_ID, pollInterval, workers, sender, "send", "notification rows");
    this.store = store;
    this.sender = sender;
    this.lease = lease;
    this.batchSize = batchSize;
  }

  @Override
  public List<Notification> claim() {
    return store.claimDue(batchSize, sender.worker(), lease);
  }
}
