package org.sessionbridge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WARN and ERROR lines from every hub this run started, with timestamps, thread names and pids
 * taken out so that repeats of one message count together.
 */
final class HubLogs {

  // Spring Boot's console format: "<time>  WARN <pid> --- [<app>] [<thread>] <logger> : <message>"
  private static final Pattern LEVELLED =
      Pattern.compile(
          "^\\S+\\s+(WARN|ERROR)\\s+\\d+\\s+---\\s+\\[[^\\]]*\\]\\s+\\[[^\\]]*\\]\\s+(\\S+)\\s*:\\s?(.*)$");
  // Ids that differ on every line (Camel exchange ids, UUIDs) would keep repeats apart.
  private static final Pattern EXCHANGE_ID = Pattern.compile("Exchange\\[[0-9A-Fa-f-]+\\]");
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int MAX_MESSAGE = 200;

  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private int hubs;

  /** Reads one hub's log after it stopped. */
  void scan(Path log) throws IOException {
    hubs++;
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    for (String line : lines) {
      String key = null;
      Matcher m = LEVELLED.matcher(line);
      if (m.matches()) {
        String message =
            UUID.matcher(EXCHANGE_ID.matcher(m.group(3).strip()).replaceAll("Exchange[…]"))
                .replaceAll("<uuid>");
        if (message.length() > MAX_MESSAGE) {
          message = message.substring(0, MAX_MESSAGE) + "…";
        }
        key = m.group(1) + " " + m.group(2) + ": " + message;
      } else if (line.startsWith("Exception in thread")) {
        key = line.strip();
      }
      if (key != null) {
        counts.merge(key, 1, Integer::sum);
      }
    }
  }

  int hubs() {
    return hubs;
  }

  /** Distinct lines, in first-seen order, with how often each appeared. */
  Map<String, Integer> counts() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }
}
