package org.sessionbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the vendor benchmarks (Zoom, Google, Microsoft) share: option parsing, the hub's 201 check,
 * number formatting for the reports, the machine's load, throw-away keys and data folders.
 */
final class BenchSupport {

  private BenchSupport() {}

  /** An option's value that must be at least 1. */
  static int positive(String name, String value) {
    int n = Integer.parseInt(value);
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value);
    }
    return n;
  }

  /** A comma-separated option whose items must all be {@code known}. */
  static List<String> list(String name, String value, Set<String> known) {
    List<String> items = List.of(value.split(","));
    for (String item : items) {
      if (!known.contains(item)) {
        throw new IllegalArgumentException(
            name + ": unknown value " + item + " (known: " + known + ")");
      }
    }
    return items;
  }

  /** The body of a 201 answer; anything else stops the run naming the call. */
  static String created(HubApi.Answer a, String call) {
    if (a.status() != 201) {
      throw new IllegalStateException(call + " answered " + a.summary() + " instead of 201");
    }
    return a.body();
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  /** {@code v} with {@code digits} decimals, or a dash for NaN (nothing measured). */
  static String fixed(double v, int digits) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  /** The 1, 5 and 15 minute load averages, as the reports print them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** A random secret for a throw-away hub (operator key). */
  static String randomKey() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return "bench-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Deletes a folder and everything below it; a missing folder is fine. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
