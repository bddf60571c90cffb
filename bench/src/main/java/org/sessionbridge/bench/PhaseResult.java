package org.sessionbridge.bench;

import java.time.Duration;
import java.util.List;

/**
 * One measured load phase: how long {@code count} calls took at {@code concurrency}, and every
 * call's latency in nanoseconds, sorted.
 */
record PhaseResult(
    int concurrency,
    int count,
    Duration elapsed,
    long[] sortedLatencyNanos,
    int failures,
    List<String> failureSamples) {

  double callsPerSecond() {
    return count / (elapsed.toNanos() / 1e9);
  }

  /** Nearest-rank percentile ({@code p} in 0..100) in milliseconds. */
  double percentileMillis(double p) {
    int n = sortedLatencyNanos.length;
    int rank = (int) Math.ceil(p / 100.0 * n);
    return sortedLatencyNanos[Math.min(n - 1, Math.max(0, rank - 1))] / 1e6;
  }
}
