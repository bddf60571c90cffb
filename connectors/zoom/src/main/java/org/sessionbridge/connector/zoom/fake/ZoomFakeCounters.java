package org.sessionbridge.connector.zoom.fake;

import java.util.concurrent.atomic.AtomicInteger;

/** What the fake has done, for tests, the demo and the benchmark. Lock-free. */
final class ZoomFakeCounters {
  final AtomicInteger creates = new AtomicInteger();
  final AtomicInteger updates = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger lists = new AtomicInteger();
  final AtomicInteger tokenGrants = new AtomicInteger();
  final AtomicInteger apiRequests = new AtomicInteger();
  final AtomicInteger rateLimited = new AtomicInteger();
  final AtomicInteger injectedFaults = new AtomicInteger();

  ZoomFake.Counts snapshot() {
    return new ZoomFake.Counts(
        creates.get(),
        updates.get(),
        deletes.get(),
        gets.get(),
        lists.get(),
        tokenGrants.get(),
        apiRequests.get(),
        rateLimited.get(),
        injectedFaults.get());
  }
}
