package org.sessionbridge.connector.zoom.fake;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Zoom's rate limits as far as the hub meets them (API-NOTES §1.5): the per-host budget of meeting
 * creates and updates per UTC day (100 by default), and an optional per-account requests-per-second
 * limit (off by default), both on the injected clock. Thread-safe.
 */
final class ZoomFakeLimits {

  static final int DEFAULT_DAILY_LIMIT = 100;

  private record Day(LocalDate date, int used) {}

  private record Second(long epochSecond, int used) {}

  private final Clock clock;
  private final ZoomFakeCounters counters;
  private final Map<String, Day> daysByHost = new HashMap<>();
  private final Map<String, Second> secondsByAccount = new HashMap<>();
  private int dailyLimit = DEFAULT_DAILY_LIMIT;
  private int perSecondLimit;

  ZoomFakeLimits(Clock clock, ZoomFakeCounters counters) {
    this.clock = clock;
    this.counters = counters;
  }

  synchronized void dailyLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException(
          "the daily create/update limit must be positive: " + limit);
    }
    dailyLimit = limit;
  }

  synchronized void perSecondLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("the per-second limit must be 0 (off) or more: " + limit);
    }
    perSecondLimit = limit;
  }

  /**
   * Takes one create/update from the host's budget for today (UTC), or answers the daily-limit 429
   * with {@code Retry-After} as the ISO-8601 time of the next 00:00 UTC. Every request that reaches
   * this point counts, as Zoom counts requests.
   *
   * @return {@code null} when the request may go on
   */
  synchronized @Nullable ZoomFakeReply takeDaily(String hostId, String category) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    Day day = daysByHost.get(hostId);
    if (day == null || !day.date().equals(today)) {
      day = new Day(today, 0);
    }
    if (day.used() >= dailyLimit) {
      counters.rateLimited.incrementAndGet();
      Instant nextMidnight = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("X-RateLimit-Category", category);
      headers.put("X-RateLimit-Type", "Daily-limit");
      headers.put("X-RateLimit-Limit", Integer.toString(dailyLimit));
      headers.put("X-RateLimit-Remaining", "0");
      headers.put("Retry-After", nextMidnight.toString());
      return ZoomFakeReply.error(
              429,
              429,
              "You have exceeded the daily rate limit ("
                  + dailyLimit
                  + ") of Meeting Create/Update API requests permitted for this particular user."
                  + " You may resume these requests at GMT 00:00:00.")
          .withHeaders(headers);
    }
    daysByHost.put(hostId, new Day(today, day.used() + 1));
    return null;
  }

  /**
   * Counts one API request of the account in the current clock second, or answers the QPS 429 with
   * {@code X-RateLimit-Reset} (unix seconds of the next second).
   *
   * @return {@code null} when the request may go on (always, while the limit is off)
   */
  synchronized @Nullable ZoomFakeReply takePerSecond(String accountId, String category) {
    if (perSecondLimit == 0) {
      return null;
    }
    long now = clock.instant().getEpochSecond();
    Second second = secondsByAccount.get(accountId);
    if (second == null || second.epochSecond() != now) {
      second = new Second(now, 0);
    }
    if (second.used() >= perSecondLimit) {
      counters.rateLimited.incrementAndGet();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("X-RateLimit-Category", category);
      headers.put("X-RateLimit-Type", "QPS");
      headers.put("X-RateLimit-Limit", Integer.toString(perSecondLimit));
      headers.put("X-RateLimit-Remaining", "0");
      headers.put("X-RateLimit-Reset", Long.toString(now + 1));
      return ZoomFakeReply.error(
              429,
              429,
              "You have reached the maximum per-second rate limit for this API. Try again later.")
          .withHeaders(headers);
    }
    secondsByAccount.put(accountId, new Second(now, second.used() + 1));
    return null;
  }
}
