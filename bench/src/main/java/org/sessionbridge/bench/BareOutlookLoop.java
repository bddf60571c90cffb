package org.sessionbridge.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.sessionbridge.connector.microsoft.MicrosoftResilience;
import org.sessionbridge.connector.microsoft.MicrosoftSettings;
import org.sessionbridge.connector.microsoft.OutlookCalendarProvider;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarEvent;

/**
 * The baseline for the calendar push route on Outlook: the connector's own {@link
 * OutlookCalendarProvider} (the same Graph client, event body, lookup by our extended property,
 * {@code transactionId} and guards the hub's route calls) upserting events from a fixed number of
 * threads, with nothing else around it. Its mailboxes are users of their own, whom the hub does not
 * subscribe to, so nothing it writes notifies the hub.
 */
final class BareOutlookLoop {

  /** A mailbox and a delegated access token for it from the fake. */
  record Target(String accountId, String accessToken) {}

  private final OutlookCalendarProvider outlook;
  private final List<Target> targets;
  private final AtomicInteger slot = new AtomicInteger();

  BareOutlookLoop(String graphBaseUrl, String loginBaseUrl, List<Target> targets) {
    this.outlook =
        new OutlookCalendarProvider(
            MicrosoftSettings.at(graphBaseUrl, loginBaseUrl), MicrosoftResilience.defaults());
    this.targets = List.copyOf(targets);
  }

  /** Upserts {@code count} new events round-robin over the targets from {@code threads} threads. */
  Duration run(int count, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long begin = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    Target target = targets.get(i % targets.size());
                    outlook.upsert(account(target), OutlookCalendarProvider.PRIMARY, event());
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
      return Duration.ofNanos(System.nanoTime() - begin);
    } finally {
      pool.shutdownNow();
    }
  }

  /** An in-person session as the hub projects it (title without names, no join link). */
  private CalendarEvent event() {
    int n = slot.getAndIncrement();
    Instant start = Instant.now().plus(Duration.ofDays(40)).plus(Duration.ofMinutes(60L * n));
    return new CalendarEvent(
        UUID.randomUUID(),
        1,
        "Session – C-1A2B3C",
        "",
        start,
        start.plus(Duration.ofMinutes(50)),
        ZoneId.of("America/New_York"),
        Optional.empty(),
        Optional.empty(),
        CalendarEvent.Status.CONFIRMED);
  }

  private static CalendarAccount account(Target target) {
    return new CalendarAccount() {
      @Override
      public String id() {
        return target.accountId();
      }

      @Override
      public String accessToken() {
        return target.accessToken();
      }

      @Override
      public void invalidate(String rejected) {
        // the fake's tokens live an hour, longer than any run
      }
    };
  }
}
