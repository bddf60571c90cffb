package org.sessionbridge.bench;

import java.time.Duration;

/**
 * One timed drain of a copied backlog by a hub with {@code workers} outbox workers.
 *
 * <p>The hub may start draining before its health endpoint answers, so the rate comes from two
 * observations of GET /api/v1/outbox: {@code firstSeenPending} at the first call after UP and
 * {@code lastSeenPending} {@code window} later, which is 0 unless the drain timeout cut the run
 * short ({@code emptied} false). {@code sinceLaunch} runs from process launch to the last
 * observation, startup included. {@code dispatchCalls} is the hub's own
 * sessionbridge_outbox_delivered_total counter (NaN when not readable): one call per event when the
 * drain does no duplicate work.
 */
record DrainRun(
    int repeat,
    int workers,
    long backlog,
    long firstSeenPending,
    long lastSeenPending,
    boolean emptied,
    Duration window,
    Duration sinceLaunch,
    long delivered,
    long dead,
    double dispatchCalls) {

  double eventsPerSecond() {
    long drained = firstSeenPending - lastSeenPending;
    return drained <= 0 || window.isZero() ? Double.NaN : drained / (window.toNanos() / 1e9);
  }

  /** Dispatcher calls per event that left the pending state. */
  double dispatchCallsPerEvent() {
    long gone = backlog - lastSeenPending;
    return gone <= 0 ? Double.NaN : dispatchCalls / gone;
  }

  /** Less than half the backlog left when first seen: the rate rests on a short window. */
  boolean mostlyDrainedBeforeSeen() {
    return firstSeenPending * 2 < backlog;
  }
}
