package org.sessionbridge.config.feeds;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per remote address for feed requests that name no live feed (404 and 410 alike),
 * so nobody can walk the secret space; while an address is over its allowance every feed request
 * from it gets 429. Lock-free for addresses that never missed (the hot path of every poll).
 * Bounded: past {@link #MAX_ADDRESSES} buckets the table starts over.
 */
final class MissLimiter {

  static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final double perMinute;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  MissLimiter(Clock clock, int perMinute) {
    this.clock = clock;
    this.perMinute = Math.max(1, perMinute);
    this.burst = this.perMinute;
  }

  /** True while the address is over its allowance; consumes nothing. */
  boolean blocked(String address) {
    Bucket bucket = buckets.get(address);
    return bucket != null && bucket.tokens(clock.millis()) < 1;
  }

  /** Records a miss from the address. */
  void miss(String address) {
    if (buckets.size() >= MAX_ADDRESSES) {
      buckets.clear();
    }
    buckets.computeIfAbsent(address, a -> new Bucket(burst, clock.millis())).take(clock.millis());
  }

  /** Seconds until the address may try again (0 if it may now). */
  long retryAfterSeconds(String address) {
    Bucket bucket = buckets.get(address);
    if (bucket == null) {
      return 0;
    }
    double missing = 1 - bucket.tokens(clock.millis());
    return missing <= 0 ? 0 : (long) Math.ceil(missing * 60 / perMinute);
  }

  private final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized double tokens(long now) {
      tokens = Math.min(burst, tokens + Math.max(0, now - at) * perMinute / 60_000d);
      at = now;
      return tokens;
    }

    synchronized void take(long now) {
      tokens = Math.max(0, tokens(now) - 1);
    }
  }
}
