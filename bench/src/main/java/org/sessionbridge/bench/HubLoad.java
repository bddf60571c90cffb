package org.sessionbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Load harness for the hub fat jar: API booking throughput and latency at several concurrency
 * levels, and the outbox drain rate from a fixed backlog for several worker counts, each repeated
 * and reported as medians in Markdown (stdout, and {@code --out}). Every hub is a child process on
 * a free loopback port with a fresh data directory; all are stopped on exit. See {@link
 * BenchOptions#USAGE} and docs/BENCHMARKS.md.
 */
public final class HubLoad {

  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration POLL = Duration.ofMillis(200);

  private final BenchOptions options;
  private final ChildProcesses children = new ChildProcesses();
  private final HttpClient http = HubApi.newClient();
  private final String operatorKey = randomKey();
  private final HubLogs logs = new HubLogs();
  private final BenchReport report;
  private final Path scratch;

  private HubLoad(BenchOptions options, String commandLine) throws IOException {
    this.options = options;
    this.report = new BenchReport(options, commandLine, sha256(options.jar()), logs);
    this.scratch = Files.createTempDirectory("sessionbridge-bench-");
    Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "bench-clean-up"));
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("HubLoad: " + e.getMessage());
      System.err.print(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    String commandLine = "HubLoad " + String.join(" ", args);
    System.exit(new HubLoad(options, commandLine).run());
  }

  private int run() throws IOException {
    int status = 0;
    progress("hub jar " + options.jar() + ", scratch " + scratch);
    try {
      if (options.runs("api")) {
        measureApi();
      }
      if (options.runs("drain")) {
        measureDrain();
      }
    } catch (Exception e) {
      status = 1;
      report.note("run aborted: " + e);
      progress("aborted: " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      cleanUp();
      if (options.keep()) {
        progress("kept data directories and hub logs in " + scratch);
      }
    }
    String markdown = report.render();
    System.out.print(markdown);
    Path out = options.out();
    if (out != null) {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, markdown, StandardCharsets.UTF_8);
      progress("report written to " + out);
    }
    return status;
  }

  /**
   * One fresh hub per repeat; the level order rotates so no level always runs on the fullest DB.
   */
  private void measureApi() throws IOException, InterruptedException, TimeoutException {
    for (int r = 0; r < options.repeats(); r++) {
      List<Integer> order = new ArrayList<>(options.concurrency());
      Collections.rotate(order, -r);
      List<String> settings =
          options.apiDrain() ? List.of() : List.of("--sessionbridge.outbox.enabled=false");
      HubProcess hub = launch("api-" + (r + 1), settings, null);
      try (hub) {
        HubApi api = new HubApi(http, hub.base());
        PracticeFixture practice = PracticeFixture.create(api, operatorKey);
        LoadRunner.Call book =
            n -> {
              HubApi.Answer a =
                  api.post("/api/v1/appointments", practice.apiKey(), practice.newAppointment(n));
              return a.status() == 201 ? null : "POST /api/v1/appointments: " + a.summary();
            };
        int n = 0;
        if (options.hubWarmup() > 0) {
          PhaseResult warm = LoadRunner.run(n, options.hubWarmup(), 4, PHASE_TIMEOUT, book);
          n += options.hubWarmup();
          if (warm.failures() > 0) {
            report.note(
                "run "
                    + (r + 1)
                    + ": "
                    + warm.failures()
                    + " hub warm-up calls failed, e.g. "
                    + warm.failureSamples().get(0));
          }
        }
        for (int c : order) {
          if (options.warmup() > 0) {
            PhaseResult warm = LoadRunner.run(n, options.warmup(), c, PHASE_TIMEOUT, book);
            n += options.warmup();
            if (warm.failures() > 0) {
              report.note(
                  "run "
                      + (r + 1)
                      + ", concurrency "
                      + c
                      + ": "
                      + warm.failures()
                      + " warm-up calls failed, e.g. "
                      + warm.failureSamples().get(0));
            }
          }
          PhaseResult measured = LoadRunner.run(n, options.requests(), c, PHASE_TIMEOUT, book);
          n += options.requests();
          report.api(measured);
          progress(
              String.format(
                  java.util.Locale.ROOT,
                  "api run %d concurrency %d: %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d failed",
                  r + 1,
                  c,
                  measured.callsPerSecond(),
                  measured.percentileMillis(50),
                  measured.percentileMillis(99),
                  measured.failures()));
        }
        HubApi.OutboxStats outbox = api.outbox(operatorKey);
        report.apiOutbox(n, outbox.delivered(), outbox.pending(), api.dispatchCalls());
        finish("api-" + (r + 1), hub);
      }
    }
  }

  /**
   * Builds the backlog once on a node that does not drain, stops it, then drains a fresh copy of
   * that data directory per (repeat, worker count), alternating the worker order between repeats.
   */
  private void measureDrain() throws IOException, InterruptedException, TimeoutException {
    Path backlogData = scratch.resolve("backlog").resolve("data");
    long pending;
    HubProcess node =
        launch("backlog", List.of("--sessionbridge.outbox.enabled=false"), backlogData);
    try (node) {
      HubApi api = new HubApi(http, node.base());
      PracticeFixture practice = PracticeFixture.create(api, operatorKey);
      int events = options.backlog();
      int appointments = (events + 1) / 2;
      LoadRunner.Call bookAndMove =
          n -> {
            HubApi.Answer booked =
                api.post("/api/v1/appointments", practice.apiKey(), practice.newAppointment(n));
            if (booked.status() != 201) {
              return "POST /api/v1/appointments: " + booked.summary();
            }
            if (2 * n + 1 >= events) {
              return null; // an odd backlog: the last appointment is booked only
            }
            String id = HubApi.text(booked.body(), "id");
            HubApi.Answer moved =
                api.patch("/api/v1/appointments/" + id, practice.apiKey(), practice.reschedule(n));
            return moved.status() == 200 ? null : "PATCH /api/v1/appointments: " + moved.summary();
          };
      PhaseResult build =
          LoadRunner.run(0, appointments, options.buildConcurrency(), PHASE_TIMEOUT, bookAndMove);
      HubApi.OutboxStats stats = api.outbox(operatorKey);
      pending = stats.pending();
      progress(
          "backlog: "
              + pending
              + " pending events in "
              + build.elapsed().toSeconds()
              + " s, "
              + build.failures()
              + " failed calls");
      if (build.failures() > 0) {
        report.note(
            "backlog build: "
                + build.failures()
                + " calls failed, e.g. "
                + build.failureSamples().get(0));
      }
      if (pending != events || stats.delivered() != 0) {
        report.note(
            "backlog node holds "
                + pending
                + " pending and "
                + stats.delivered()
                + " delivered events; asked for "
                + events
                + " pending");
      }
      if (pending == 0) {
        throw new IllegalStateException("the backlog node has no pending events to drain");
      }
      report.backlog(build, pending);
      finish("backlog", node);
    }
    for (int r = 0; r < options.repeats(); r++) {
      List<Integer> order = new ArrayList<>(options.workers());
      if (r % 2 == 1) {
        Collections.reverse(order);
      }
      for (int w : order) {
        String name = "drain-" + (r + 1) + "-w" + w;
        Path data = scratch.resolve(name).resolve("data");
        copyTree(backlogData, data);
        HubProcess hub = launch(name, List.of("--sessionbridge.outbox.workers=" + w), data);
        try (hub) {
          DrainRun run = timeDrain(r, w, pending, hub);
          report.drain(run);
          progress(
              String.format(
                  java.util.Locale.ROOT,
                  "drain run %d workers %d: %.0f events/s, %d -> %d pending in %.1f s,"
                      + " %.1f dispatch calls per event",
                  r + 1,
                  w,
                  run.eventsPerSecond(),
                  run.firstSeenPending(),
                  run.lastSeenPending(),
                  run.window().toMillis() / 1000.0,
                  run.dispatchCallsPerEvent()));
          finish(name, hub);
        }
        if (!options.keep()) {
          deleteTree(data);
        }
      }
    }
  }

  /**
   * Polls GET /api/v1/outbox until nothing is pending or the drain timeout passes; a run cut short
   * is kept (its rate is what it drained in the window) and noted, so one slow drain does not lose
   * the others.
   */
  private DrainRun timeDrain(int repeat, int workers, long backlog, HubProcess hub)
      throws IOException, InterruptedException {
    HubApi api = new HubApi(http, hub.base());
    long before = System.nanoTime();
    HubApi.OutboxStats first = api.outbox(operatorKey);
    long firstSeen = (before + System.nanoTime()) / 2;
    HubApi.OutboxStats last = first;
    long lastSeen = firstSeen;
    long deadline = firstSeen + options.drainTimeout().toNanos();
    while (last.pending() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      before = System.nanoTime();
      last = api.outbox(operatorKey);
      lastSeen = (before + System.nanoTime()) / 2;
    }
    DrainRun run =
        new DrainRun(
            repeat,
            workers,
            backlog,
            first.pending(),
            last.pending(),
            last.pending() == 0,
            Duration.ofNanos(lastSeen - firstSeen),
            Duration.ofNanos(lastSeen - hub.launchedAt()),
            last.delivered(),
            last.dead(),
            api.dispatchCalls());
    String label = "drain run " + (repeat + 1) + " workers=" + workers + ": ";
    if (!run.emptied()) {
      report.note(
          label
              + run.lastSeenPending()
              + " of "
              + backlog
              + " events still pending when the drain timeout of "
              + options.drainTimeout().toSeconds()
              + " s ran out; its rate is what it drained in that window");
    } else if (run.delivered() != backlog || run.dead() != 0) {
      report.note(
          label
              + "ended with "
              + run.delivered()
              + " delivered and "
              + run.dead()
              + " dead of "
              + backlog);
    }
    if (run.mostlyDrainedBeforeSeen()) {
      report.note(
          label
              + "only "
              + run.firstSeenPending()
              + " of "
              + backlog
              + " events were still pending when the health endpoint first answered UP; that"
              + " rate rests on a short window");
    }
    return run;
  }

  private HubProcess launch(String name, List<String> settings, @Nullable Path dataDir)
      throws IOException, InterruptedException {
    Path home = scratch.resolve(name);
    Path data = dataDir == null ? home.resolve("data") : dataDir;
    Files.createDirectories(data);
    progress("starting hub " + name + (settings.isEmpty() ? "" : " " + settings));
    HubProcess hub =
        HubProcess.launch(
            children, http, options.jar(), data, home.resolve("hub.log"), operatorKey, settings);
    report.startup(hub.startup());
    progress("hub " + name + " up in " + hub.startup().toMillis() + " ms at " + hub.base());
    return hub;
  }

  /** Stops the hub with SIGTERM and collects its log; a kill or an odd exit goes in the report. */
  private void finish(String name, HubProcess hub) throws IOException, InterruptedException {
    HubProcess.Stop stop = hub.stop();
    logs.scan(hub.log());
    if (!stop.graceful()) {
      report.note(
          "hub "
              + name
              + " was still running "
              + HubProcess.STOP_GRACE.toSeconds()
              + " s after SIGTERM and was killed");
    } else if (stop.exitCode() != 0 && stop.exitCode() != 143) {
      report.note("hub " + name + " exited with status " + stop.exitCode() + " after SIGTERM");
    }
    if (stop.took().compareTo(Duration.ofSeconds(15)) > 0) {
      report.note("hub " + name + " took " + stop.took().toSeconds() + " s to stop after SIGTERM");
    }
  }

  /** Stops every hub still running and, unless --keep, removes the scratch directory. */
  private void cleanUp() {
    children.stopAll();
    if (!options.keep()) {
      try {
        deleteTree(scratch);
      } catch (IOException | RuntimeException e) {
        progress("could not remove " + scratch + ": " + e);
      }
    }
  }

  private static void progress(String message) {
    System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
  }

  private static String randomKey() {
    byte[] bytes = new byte[33];
    new SecureRandom().nextBytes(bytes);
    return "bench-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
