package org.sessionbridge.connector.zoom.fake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Faults armed by a test for the next API calls ({@code /v2}; the token endpoint is never touched).
 * Each armed fault is consumed by exactly one request, whichever thread gets it first. Thread-safe.
 */
final class ZoomFakeFaults {

  private final Deque<ZoomFakeReply> failures = new ArrayDeque<>();
  private int dropCreates;
  private @Nullable Duration delay;

  synchronized void failNext(int count, int status, String body, Map<String, String> headers) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    ZoomFakeReply reply = ZoomFakeReply.json(status, body, headers);
    for (int i = 0; i < count; i++) {
      failures.add(reply);
    }
  }

  synchronized void dropNextCreateResponse() {
    dropCreates++;
  }

  synchronized void delayNext(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a delay cannot be negative: " + by);
    }
    delay = by;
  }

  synchronized @Nullable ZoomFakeReply takeFailure() {
    return failures.poll();
  }

  /** Whether the response of this (stored) create is to be dropped. */
  synchronized boolean takeDropCreate() {
    if (dropCreates == 0) {
      return false;
    }
    dropCreates--;
    return true;
  }

  private volatile Duration latency = Duration.ZERO;

  void latency(Duration each) {
    if (each.isNegative()) {
      throw new IllegalArgumentException("a latency cannot be negative: " + each);
    }
    latency = each;
  }

  Duration latency() {
    return latency;
  }

  synchronized @Nullable Duration takeDelay() {
    Duration taken = delay;
    delay = null;
    return taken;
  }
}
