package org.sessionbridge.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Closed-loop load: {@code concurrency} threads each send one call, wait for its answer and send
 * the next, until {@code count} calls are done. Latency is timed per call on the client, so it
 * includes the client's own queueing on a busy machine.
 */
final class LoadRunner {

  private static final int FAILURE_SAMPLES = 5;

  /** One unit of work; answers null on success or a short description of what went wrong. */
  @FunctionalInterface
  interface Call {
    @Nullable String perform(int n) throws IOException, InterruptedException;
  }

  private LoadRunner() {}

  /**
   * Runs calls {@code first .. first + count - 1}.
   *
   * @throws TimeoutException when the phase is not done within {@code timeout}; the threads are
   *     interrupted and the partial result is dropped
   */
  static PhaseResult run(int first, int count, int concurrency, Duration timeout, Call call)
      throws InterruptedException, TimeoutException {
    long[] latencies = new long[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicBoolean abort = new AtomicBoolean();
    List<String> samples = new ArrayList<>();
    AtomicInteger thread = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "bench-load-" + thread.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long begin = System.nanoTime();
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int c = 0; c < concurrency; c++) {
        loops.add(
            pool.submit(
                () -> {
                  int i;
                  while (!abort.get() && (i = next.getAndIncrement()) < count) {
                    long t0 = System.nanoTime();
                    String failure;
                    try {
                      failure = call.perform(first + i);
                    } catch (IOException e) {
                      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                    latencies[i] = System.nanoTime() - t0;
                    if (failure != null) {
                      failures.incrementAndGet();
                      synchronized (samples) {
                        if (samples.size() < FAILURE_SAMPLES) {
                          samples.add(failure);
                        }
                      }
                    }
                  }
                  return null;
                }));
      }
      long deadline = begin + timeout.toNanos();
      for (Future<?> loop : loops) {
        try {
          loop.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          abort.set(true);
          throw new IllegalStateException("a load thread failed", e.getCause());
        } catch (TimeoutException e) {
          abort.set(true);
          throw new TimeoutException(
              "load phase of " + count + " calls not done within " + timeout.toSeconds() + "s");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
    Arrays.sort(latencies);
    synchronized (samples) {
      return new PhaseResult(
          concurrency, count, elapsed, latencies, failures.get(), List.copyOf(samples));
    }
  }
}
