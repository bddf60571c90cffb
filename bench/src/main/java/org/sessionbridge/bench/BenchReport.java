package org.sessionbridge.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Collects the measurements of one harness run and renders them as Markdown. */
final class BenchReport {

  private final BenchOptions options;
  private final String commandLine;
  private final String jarDigest;
  private final Instant began = Instant.now();
  private final Map<Integer, List<PhaseResult>> api = new LinkedHashMap<>();
  private final List<DrainRun> drains = new ArrayList<>();
  private final List<Duration> startups = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final HubLogs logs;
  private final List<String> apiOutbox = new ArrayList<>();
  private @Nullable PhaseResult backlogBuild;
  private long backlog;

  BenchReport(BenchOptions options, String commandLine, String jarDigest, HubLogs logs) {
    this.options = options;
    this.commandLine = commandLine;
    this.jarDigest = jarDigest;
    this.logs = logs;
    for (int c : options.concurrency()) {
      api.put(c, new ArrayList<>());
    }
  }

  void api(PhaseResult measured) {
    api.get(measured.concurrency()).add(measured);
  }

  /** What the outbox of one API node did while it was being loaded. */
  void apiOutbox(int booked, long delivered, long pending, double dispatchCalls) {
    apiOutbox.add(
        booked
            + " booked, "
            + delivered
            + " delivered, "
            + pending
            + " pending at the end, "
            + fixed(dispatchCalls, 0)
            + " dispatch calls (×"
            + fixed(delivered == 0 ? Double.NaN : dispatchCalls / delivered, 2)
            + " per delivered event)");
  }

  void backlog(PhaseResult build, long pendingEvents) {
    this.backlogBuild = build;
    this.backlog = pendingEvents;
  }

  void drain(DrainRun run) {
    drains.add(run);
  }

  void startup(Duration startup) {
    startups.add(startup);
  }

  void note(String note) {
    notes.add(note);
  }

  String render() {
    StringBuilder md = new StringBuilder();
    md.append("# SessionBridge hub load: ")
        .append(began.truncatedTo(ChronoUnit.SECONDS))
        .append("\n\n");
    md.append("- command: `").append(commandLine).append("`\n");
    md.append("- hub jar: `")
        .append(options.jar())
        .append("` (sha256 ")
        .append(jarDigest, 0, 16)
        .append("…)\n");
    md.append("- harness JVM: Java ")
        .append(System.getProperty("java.version"))
        .append(" on ")
        .append(System.getProperty("os.name"))
        .append(" ")
        .append(System.getProperty("os.arch"))
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs visible; hub and harness share them\n");
    md.append("- settings: ")
        .append(options.requests())
        .append(" measured requests per level after ")
        .append(options.warmup())
        .append(" warm-up (and ")
        .append(options.hubWarmup())
        .append(" on each fresh hub), concurrency ")
        .append(join(options.concurrency()))
        .append("; backlog ")
        .append(options.backlog())
        .append(" events, workers ")
        .append(join(options.workers()))
        .append("; ")
        .append(options.repeats())
        .append(" repeats, medians shown; phases ")
        .append(String.join(",", options.phases().stream().sorted().toList()))
        .append(options.apiDrain() ? "" : "; API nodes not draining")
        .append("\n");
    md.append("- took: ")
        .append(Duration.between(began, Instant.now()).toSeconds())
        .append(" s\n\n");

    if (api.values().stream().anyMatch(l -> !l.isEmpty())) {
      renderApi(md);
    }
    if (!drains.isEmpty()) {
      renderDrain(md);
    }
    if (!startups.isEmpty()) {
      List<Double> s = startups.stream().map(d -> d.toMillis() / 1000.0).toList();
      md.append("## Hub start (process launch to /actuator/health UP)\n\n");
      md.append("| hubs started | median s | min s | max s |\n|---:|---:|---:|---:|\n");
      md.append("| ")
          .append(s.size())
          .append(" | ")
          .append(fixed(median(s), 1))
          .append(" | ")
          .append(fixed(Collections.min(s), 1))
          .append(" | ")
          .append(fixed(Collections.max(s), 1))
          .append(" |\n\n");
    }
    md.append("## Hub log: WARN and ERROR lines across ").append(logs.hubs()).append(" hubs\n\n");
    if (logs.counts().isEmpty()) {
      md.append("None.\n\n");
    } else {
      md.append("| times | line |\n|---:|---|\n");
      logs.counts()
          .forEach(
              (line, n) ->
                  md.append("| ").append(n).append(" | `").append(cell(line)).append("` |\n"));
      md.append("\n");
    }
    if (!notes.isEmpty()) {
      md.append("## Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append("\n"));
      md.append("\n");
    }
    return md.toString();
  }

  private void renderApi(StringBuilder md) {
    md.append("## API: POST /api/v1/appointments\n\n");
    md.append(
        "Closed loop: each of C client threads waits for its answer before sending the next"
            + " request. Latency is measured in the client. Medians over the runs.\n\n");
    md.append(
        "| concurrency | requests/s | p50 ms | p95 ms | p99 ms | failed | requests/s per run |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---|\n");
    api.forEach(
        (c, runs) -> {
          if (runs.isEmpty()) {
            return;
          }
          int failed = runs.stream().mapToInt(PhaseResult::failures).sum();
          int total = runs.stream().mapToInt(PhaseResult::count).sum();
          md.append("| ")
              .append(c)
              .append(" | ")
              .append(fixed(median(runs, PhaseResult::callsPerSecond), 0))
              .append(" | ")
              .append(fixed(median(runs, r -> r.percentileMillis(50)), 1))
              .append(" | ")
              .append(fixed(median(runs, r -> r.percentileMillis(95)), 1))
              .append(" | ")
              .append(fixed(median(runs, r -> r.percentileMillis(99)), 1))
              .append(" | ")
              .append(failed)
              .append(" of ")
              .append(total)
              .append(" | ")
              .append(
                  runs.stream()
                      .map(r -> fixed(r.callsPerSecond(), 0))
                      .collect(Collectors.joining(", ")))
              .append(" |\n");
        });
    md.append("\n");
    List<String> failures =
        api.values().stream()
            .flatMap(List::stream)
            .flatMap(r -> r.failureSamples().stream())
            .distinct()
            .limit(10)
            .toList();
    if (!failures.isEmpty()) {
      failures.forEach(f -> md.append("- failed call: `").append(cell(f)).append("`\n"));
      md.append("\n");
    }
    if (!apiOutbox.isEmpty()) {
      md.append(
          options.apiDrain()
              ? "Outbox of each API node (draining, as by default, while it was loaded):\n\n"
              : "The API nodes ran with `sessionbridge.outbox.enabled=false` (no drain):\n\n");
      for (int i = 0; i < apiOutbox.size(); i++) {
        md.append("- run ").append(i + 1).append(": ").append(apiOutbox.get(i)).append("\n");
      }
      md.append("\n");
    }
  }

  private void renderDrain(StringBuilder md) {
    md.append("## Outbox drain\n\n");
    PhaseResult build = backlogBuild;
    if (build != null) {
      md.append("Backlog: ")
          .append(backlog)
          .append(" pending events (book + reschedule per appointment) built on a node with")
          .append(" `sessionbridge.outbox.enabled=false` in ")
          .append(fixed(build.elapsed().toMillis() / 1000.0, 1))
          .append(" s at concurrency ")
          .append(build.concurrency())
          .append(" (")
          .append(fixed(build.callsPerSecond() * 2, 0))
          .append(" writes/s). Every run below drains its own copy of that stopped data")
          .append(" directory; the worker counts alternate order from run to run.\n\n");
    }
    md.append(
        "| workers | events/s | window s | launch to last poll s | dispatch calls per event |"
            + " events/s per run | pending first seen → last seen |\n");
    md.append("|---:|---:|---:|---:|---:|---|---|\n");
    Map<Integer, Double> medians = new LinkedHashMap<>();
    for (int w : options.workers()) {
      List<DrainRun> runs = drains.stream().filter(d -> d.workers() == w).toList();
      if (runs.isEmpty()) {
        continue;
      }
      double rate = median(runs, DrainRun::eventsPerSecond);
      medians.put(w, rate);
      md.append("| ")
          .append(w)
          .append(" | ")
          .append(fixed(rate, 0))
          .append(" | ")
          .append(fixed(median(runs, d -> d.window().toMillis() / 1000.0), 1))
          .append(" | ")
          .append(fixed(median(runs, d -> d.sinceLaunch().toMillis() / 1000.0), 1))
          .append(" | ")
          .append(fixed(median(runs, DrainRun::dispatchCallsPerEvent), 1))
          .append(" | ")
          .append(
              runs.stream()
                  .map(d -> fixed(d.eventsPerSecond(), 0))
                  .collect(Collectors.joining(", ")))
          .append(" | ")
          .append(
              runs.stream()
                  .map(
                      d ->
                          d.firstSeenPending()
                              + " → "
                              + d.lastSeenPending()
                              + (d.emptied() ? "" : " (timed out)"))
                  .collect(Collectors.joining(", ")))
          .append(" |\n");
    }
    md.append("\n");
    int baseline = options.workers().get(0);
    Double base = medians.get(baseline);
    for (int w : options.workers().subList(1, options.workers().size())) {
      Double rate = medians.get(w);
      if (base == null || rate == null) {
        continue;
      }
      List<String> perRun = new ArrayList<>();
      for (int r = 0; r < options.repeats(); r++) {
        int repeat = r;
        DrainRun a = find(repeat, baseline);
        DrainRun b = find(repeat, w);
        if (a != null && b != null) {
          perRun.add("×" + fixed(b.eventsPerSecond() / a.eventsPerSecond(), 2));
        }
      }
      md.append("workers=")
          .append(w)
          .append(" / workers=")
          .append(baseline)
          .append(": **×")
          .append(fixed(rate / base, 2))
          .append("** (ratio of medians); per run, side by side: ")
          .append(String.join(", ", perRun))
          .append("\n\n");
    }
  }

  private @Nullable DrainRun find(int repeat, int workers) {
    return drains.stream()
        .filter(d -> d.repeat() == repeat && d.workers() == workers)
        .findFirst()
        .orElse(null);
  }

  private static <T> double median(List<T> items, ToDoubleFunction<T> value) {
    return median(items.stream().map(value::applyAsDouble).toList());
  }

  /** The median of the values that are numbers; NaN when there are none. */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String fixed(double value, int decimals) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("`", "'");
  }
}
