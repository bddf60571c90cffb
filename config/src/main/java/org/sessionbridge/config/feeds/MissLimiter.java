package org.sessionbridge.config.feeds;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per remote address for feed requests that name no live feed (404 and 410 alike),
 * so nobody can walk the secret space. Bounded: the least recently seen addresses are forgotten.
 */
final class MissLimiter {

  private static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final double perMinute;
  private final double burst;
  private final Map<String, double[]> buckets =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  MissLimiter(Clock clock, int perMinute) {
    this.clock = clock;
    this.perMinute = perMinute;
    this.burst = Math.max(1, perMinute);
  }

  /** True while the address is over its allowance; does not consume anything. */
  synchronized boolean blocked(String address) {
    double[] bucket = buckets.get(address);
    return bucket != null && refill(bucket) < 1;
  }

  /** Records a miss from the address. */
  synchronized void miss(String address) {
    double[] bucket = buckets.computeIfAbsent(address, a -> new double[] {burst, now()});
    bucket[0] = Math.max(0, refill(bucket) - 1);
  }

  /** Seconds until the address may try again. */
  synchronized long retryAfterSeconds(String address) {
    double[] bucket = buckets.get(address);
    if (bucket == null) {
      return 0;
    }
    double missing = 1 - refill(bucket);
    return missing <= 0 ? 0 : (long) Math.ceil(missing * 60 / perMinute);
  }

  private double refill(double[] bucket) {
    double t = now();
    bucket[0] = Math.min(burst, bucket[0] + (t - bucket[1]) * perMinute / 60_000d);
    bucket[1] = t;
    return bucket[0];
  }

  private double now() {
    return clock.millis();
  }
}
