package org.sessionbridge.connector.google.fake;

import java.util.concurrent.atomic.AtomicInteger;

/** What the fake has done, for tests, the demo and the benchmark. Lock-free. */
final class GoogleFakeCounters {
  final AtomicInteger inserts = new AtomicInteger();
  final AtomicInteger updates = new AtomicInteger();
  final AtomicInteger patches = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger lists = new AtomicInteger();
  final AtomicInteger watches = new AtomicInteger();
  final AtomicInteger channelStops = new AtomicInteger();
  final AtomicInteger tokenGrants = new AtomicInteger();
  final AtomicInteger pushesSent = new AtomicInteger();
  final AtomicInteger apiRequests = new AtomicInteger();
  final AtomicInteger rateLimited = new AtomicInteger();
  final AtomicInteger injectedFaults = new AtomicInteger();

  GoogleFake.Counts snapshot() {
    return new GoogleFake.Counts(
        inserts.get(),
        updates.get(),
        patches.get(),
        deletes.get(),
        gets.get(),
        lists.get(),
        watches.get(),
        channelStops.get(),
        tokenGrants.get(),
        pushesSent.get(),
        apiRequests.get(),
        rateLimited.get(),
        injectedFaults.get());
  }
}
