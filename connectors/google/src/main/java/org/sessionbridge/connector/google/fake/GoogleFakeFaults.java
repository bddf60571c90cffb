package org.sessionbridge.connector.google.fake;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Faults armed by a test for the next Calendar API calls ({@code /calendar/v3}; the OAuth endpoints
 * are never touched), and the optional per-user rate limit. Each armed fault is consumed by exactly
 * one request, whichever thread gets it first. Thread-safe.
 */
final class GoogleFakeFaults {

  private final Clock clock;
  private final Deque<GoogleFakeReply> failures = new ArrayDeque<>();
  private int drops;
  private @Nullable Duration delay;
  private volatile Duration latency = Duration.ZERO;

  private int perUserPerSecond;
  private GoogleFake.RateLimitAnswer answer = GoogleFake.RateLimitAnswer.FORBIDDEN_403;
  private final Map<String, long[]> windows = new HashMap<>();

  GoogleFakeFaults(Clock clock) {
    this.clock = clock;
  }

  synchronized void failNext(int count, int status, String reason, Map<String, String> headers) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive: " + count);
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    GoogleFakeReply reply =
        GoogleFakeReply.error(status, reason, messageOf(reason)).withHeaders(headers);
    for (int i = 0; i < count; i++) {
      failures.add(reply);
    }
  }

  synchronized void dropNextResponse() {
    drops++;
  }

  synchronized void delayNext(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a delay cannot be negative: " + by);
    }
    delay = by;
  }

  void latency(Duration each) {
    if (each.isNegative()) {
      throw new IllegalArgumentException("a latency cannot be negative: " + each);
    }
    latency = each;
  }

  Duration latency() {
    return latency;
  }

  synchronized @Nullable GoogleFakeReply takeFailure() {
    return failures.poll();
  }

  /** Whether the response of this (processed) call is to be dropped. */
  synchronized boolean takeDrop() {
    if (drops == 0) {
      return false;
    }
    drops--;
    return true;
  }

  synchronized @Nullable Duration takeDelay() {
    Duration taken = delay;
    delay = null;
    return taken;
  }

  synchronized void perUserLimit(int perSecond, GoogleFake.RateLimitAnswer how) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("a rate limit cannot be negative: " + perSecond);
    }
    perUserPerSecond = perSecond;
    answer = how;
    windows.clear();
  }

  /** Counts a call of the user in the clock's current second; the refusal when over the limit. */
  synchronized @Nullable GoogleFakeReply takeRateLimit(String user) {
    if (perUserPerSecond == 0) {
      return null;
    }
    long second = clock.instant().getEpochSecond();
    long[] window = windows.computeIfAbsent(user, u -> new long[] {second, 0});
    if (window[0] != second) {
      window[0] = second;
      window[1] = 0;
    }
    window[1]++;
    if (window[1] <= perUserPerSecond) {
      return null;
    }
    return switch (answer) {
      case FORBIDDEN_403 ->
          GoogleFakeReply.error(403, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded");
      case TOO_MANY_429 ->
          GoogleFakeReply.error(429, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")
              .withHeaders(Map.of("Retry-After", "1"));
    };
  }

  /** Google's message for the reasons of API-NOTES §3.5; the reason itself otherwise. */
  static String messageOf(String reason) {
    return switch (reason) {
      case "rateLimitExceeded" -> "Rate Limit Exceeded";
      case "userRateLimitExceeded" -> "User Rate Limit Exceeded";
      case "quotaExceeded" -> "Calendar usage limits exceeded.";
      case "backendError" -> "Backend Error";
      case "authError" -> "Invalid Credentials";
      case "notFound" -> "Not Found";
      case "duplicate" -> "The requested identifier already exists.";
      case "fullSyncRequired" -> "Sync token is no longer valid, a full sync is required.";
      case "deleted" -> "Resource has been deleted";
      case "conditionNotMet" -> "Precondition Failed";
      default -> reason;
    };
  }
}
