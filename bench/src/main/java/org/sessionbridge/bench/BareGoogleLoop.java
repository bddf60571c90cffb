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
import org.sessionbridge.connector.google.GoogleCalendarProvider;
import org.sessionbridge.connector.google.GoogleResilience;
import org.sessionbridge.connector.google.GoogleSettings;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarEvent;

/**
 * The baseline for the calendar push route: the connector's own {@link GoogleCalendarProvider} (the
 * same Google client, request body and id scheme the hub sends) inserting events from a fixed
 * number of threads, with nothing else around it: no database, no claims, no polls. {@code bare}
 * lifts the connector's per-account rate limit out of the way; {@code limited} keeps {@link
 * GoogleResilience#defaults()}, the limits the hub runs with.
 */
final class BareGoogleLoop {

  /** A Google user and the calendar the loop writes into, with an access token from the fake. */
  record Target(String accountId, String calendarId, String accessToken) {}

  private final GoogleCalendarProvider bare;
  private final GoogleCalendarProvider limited;
  private final List<Target> targets;
  private final AtomicInteger slot = new AtomicInteger();

  BareGoogleLoop(String calendarRootUrl, List<Target> targets) {
    GoogleSettings settings = GoogleSettings.at(calendarRootUrl);
    GoogleResilience d = GoogleResilience.defaults();
    GoogleResilience unlimited =
        new GoogleResilience(
            d.breakerWindow(),
            d.breakerMinimumCalls(),
            d.breakerFailureRatePercent(),
            d.breakerOpenWait(),
            d.breakerHalfOpenCalls(),
            1_000_000,
            d.limitRefreshPeriod(),
            d.permitWait(),
            d.retryAttempts(),
            d.retryBackoff(),
            d.maxInlineWait(),
            d.usageLimitWait());
    this.bare = new GoogleCalendarProvider(settings, unlimited);
    this.limited = new GoogleCalendarProvider(settings, d);
    this.targets = List.copyOf(targets);
  }

  /** Inserts {@code count} events round-robin over the targets from {@code threads} threads. */
  Duration run(int count, int threads, boolean withLimits) throws Exception {
    GoogleCalendarProvider provider = withLimits ? limited : bare;
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
                    provider.upsert(account(target), target.calendarId(), event());
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
    Instant start = Instant.parse("2031-01-06T13:00:00Z").plus(Duration.ofMinutes(60L * n));
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
