package org.sessionbridge.connector.microsoft.fake;

import java.util.concurrent.atomic.AtomicInteger;

/** The fake's counters; snapshots are {@link GraphFake.Counts}. */
final class GraphFakeCounters {
  final AtomicInteger meetingCreates = new AtomicInteger();
  final AtomicInteger meetingPatches = new AtomicInteger();
  final AtomicInteger meetingDeletes = new AtomicInteger();
  final AtomicInteger eventCreates = new AtomicInteger();
  final AtomicInteger eventPatches = new AtomicInteger();
  final AtomicInteger eventDeletes = new AtomicInteger();
  final AtomicInteger deltaPages = new AtomicInteger();
  final AtomicInteger subscriptions = new AtomicInteger();
  final AtomicInteger notificationsSent = new AtomicInteger();
  final AtomicInteger tokenGrants = new AtomicInteger();
  final AtomicInteger graphRequests = new AtomicInteger();
  final AtomicInteger injectedFaults = new AtomicInteger();

  GraphFake.Counts snapshot() {
    return new GraphFake.Counts(
        meetingCreates.get(),
        meetingPatches.get(),
        meetingDeletes.get(),
        eventCreates.get(),
        eventPatches.get(),
        eventDeletes.get(),
        deltaPages.get(),
        subscriptions.get(),
        notificationsSent.get(),
        tokenGrants.get(),
        graphRequests.get(),
        injectedFaults.get());
  }
}
