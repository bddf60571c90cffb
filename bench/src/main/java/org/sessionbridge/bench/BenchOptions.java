package org.sessionbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Command-line settings of one harness run, checked before any hub starts. */
record BenchOptions(
    Path jar,
    @Nullable Path out,
    int requests,
    int warmup,
    int hubWarmup,
    List<Integer> concurrency,
    int backlog,
    int buildConcurrency,
    List<Integer> workers,
    int repeats,
    boolean apiDrain,
    Duration drainTimeout,
    Set<String> phases,
    boolean keep) {

  static final String USAGE =
      """
      usage: java -cp bench/target/classes org.sessionbridge.bench.HubLoad [options]
        --jar PATH             hub fat jar (default: config/target/sessionbridge.jar from the repo
                               root, or ../config/target/sessionbridge.jar from bench/)
        --out PATH             also write the Markdown report to this file
        --requests N           measured create-appointment requests per concurrency level (5000)
        --warmup N             unmeasured requests before each level (500)
        --hub-warmup N         unmeasured requests at concurrency 4 on each fresh hub, before the
                               first level, so the JIT has compiled the booking path (3000)
        --concurrency LIST     comma-separated concurrency levels (1,4,16)
        --backlog N            outbox events in the drain backlog (20000)
        --build-concurrency N  concurrency used to build the backlog (8)
        --workers LIST         sessionbridge.outbox.workers values drained side by side (1,4)
        --repeats N            runs of each measurement; the report shows the median (3)
        --api-drain BOOL       whether the API nodes drain their outbox, as by default (true)
        --drain-timeout DUR    stop timing one drain after this long: ISO-8601 or seconds (PT5M)
        --phases LIST          which measurements to run: api,drain (both)
        --keep                 keep the temporary data directories and hub logs
      """;

  private static final List<Path> DEFAULT_JARS =
      List.of(
          Path.of("config/target/sessionbridge.jar"),
          Path.of("../config/target/sessionbridge.jar"));

  private static final Set<String> KNOWN_PHASES = Set.of("api", "drain");

  static BenchOptions parse(String... args) {
    Map<String, String> values = new HashMap<>();
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--keep")) {
        keep = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        name = arg.substring(2);
        value = args[++i];
      }
      if (values.put(name, value) != null) {
        throw new IllegalArgumentException("--" + name + " given twice");
      }
    }
    Path jar = jar(values.remove("jar"));
    String outValue = values.remove("out");
    Path out = outValue == null ? null : Path.of(outValue);
    int requests = positive(values, "requests", 5000);
    int warmup = nonNegative(values, "warmup", 500);
    int hubWarmup = nonNegative(values, "hub-warmup", 3000);
    List<Integer> concurrency = positives(values, "concurrency", "1,4,16");
    int backlog = positive(values, "backlog", 20_000);
    int buildConcurrency = positive(values, "build-concurrency", 8);
    List<Integer> workers = positives(values, "workers", "1,4");
    int repeats = positive(values, "repeats", 3);
    String apiDrainValue = values.getOrDefault("api-drain", "true");
    values.remove("api-drain");
    if (!apiDrainValue.equals("true") && !apiDrainValue.equals("false")) {
      throw new IllegalArgumentException("--api-drain must be true or false: " + apiDrainValue);
    }
    Duration drainTimeout = duration(values, "drain-timeout", Duration.ofMinutes(5));
    Set<String> phases = new LinkedHashSet<>();
    for (String phase : values.getOrDefault("phases", "api,drain").split(",")) {
      String p = phase.strip();
      if (!KNOWN_PHASES.contains(p)) {
        throw new IllegalArgumentException("--phases may name api and drain: " + phase);
      }
      phases.add(p);
    }
    values.remove("phases");
    if (!values.isEmpty()) {
      throw new IllegalArgumentException("unknown option: --" + values.keySet().iterator().next());
    }
    return new BenchOptions(
        jar,
        out,
        requests,
        warmup,
        hubWarmup,
        List.copyOf(concurrency),
        backlog,
        buildConcurrency,
        List.copyOf(workers),
        repeats,
        apiDrainValue.equals("true"),
        drainTimeout,
        Set.copyOf(phases),
        keep);
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }

  private static Path jar(@Nullable String value) {
    if (value != null) {
      Path jar = Path.of(value);
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("--jar must name the hub fat jar: " + value);
      }
      return jar;
    }
    for (Path candidate : DEFAULT_JARS) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "hub jar not found at "
            + DEFAULT_JARS
            + " (relative to "
            + Path.of("").toAbsolutePath()
            + "); build it with mvn -pl config -am package or pass --jar");
  }

  private static int positive(Map<String, String> values, String name, int fallback) {
    int n = integer(values, name, fallback);
    if (n < 1) {
      throw new IllegalArgumentException("--" + name + " must be at least 1: " + n);
    }
    return n;
  }

  private static int nonNegative(Map<String, String> values, String name, int fallback) {
    int n = integer(values, name, fallback);
    if (n < 0) {
      throw new IllegalArgumentException("--" + name + " must not be negative: " + n);
    }
    return n;
  }

  private static int integer(Map<String, String> values, String name, int fallback) {
    String value = values.remove(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer: " + value, e);
    }
  }

  private static List<Integer> positives(Map<String, String> values, String name, String fallback) {
    String value = values.remove(name);
    List<Integer> list = new ArrayList<>();
    for (String item : (value == null ? fallback : value).split(",")) {
      try {
        int n = Integer.parseInt(item.strip());
        if (n < 1 || list.contains(n)) {
          throw new IllegalArgumentException(
              "--" + name + " must list distinct integers of at least 1: " + value);
        }
        list.add(n);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--" + name + " must be a comma-separated list of integers: " + value, e);
      }
    }
    return list;
  }

  private static Duration duration(Map<String, String> values, String name, Duration fallback) {
    String value = values.remove(name);
    if (value == null) {
      return fallback;
    }
    Duration d;
    try {
      d =
          value.chars().allMatch(Character::isDigit)
              ? Duration.ofSeconds(Long.parseLong(value))
              : Duration.parse(value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be ISO-8601 (PT20M) or a number of seconds: " + value, e);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("--" + name + " must be positive: " + value);
    }
    return d;
  }
}
