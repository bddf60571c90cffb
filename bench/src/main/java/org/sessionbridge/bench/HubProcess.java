package org.sessionbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One hub started from the fat jar as a child JVM, bound to a free loopback port, with its own data
 * directory and log file. {@link #close()} stops it with SIGTERM (Spring's graceful shutdown) and
 * falls back to SIGKILL after {@link #STOP_GRACE}.
 */
final class HubProcess implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  /** How a stop went: a forced stop means the data directory was not closed cleanly. */
  record Stop(boolean graceful, int exitCode, Duration took) {}

  private final Process process;
  private final ChildProcesses children;
  private final URI base;
  private final Path log;
  private final long launchedAt;
  private final Duration startup;
  private boolean stopped;

  private HubProcess(
      Process process,
      ChildProcesses children,
      URI base,
      Path log,
      long launchedAt,
      Duration startup) {
    this.process = process;
    this.children = children;
    this.base = base;
    this.log = log;
    this.launchedAt = launchedAt;
    this.startup = startup;
  }

  /**
   * Starts the hub and waits until {@code /actuator/health} answers UP. The operator key travels in
   * the environment, not on the command line, so {@code ps} does not show it.
   */
  static HubProcess launch(
      ChildProcesses children,
      HttpClient http,
      Path jar,
      Path dataDir,
      Path log,
      String operatorKey,
      List<String> settings)
      throws IOException, InterruptedException {
    return launch(children, http, jar, dataDir, log, operatorKey, List.of(), settings);
  }

  /** As above, with options for the child JVM itself (e.g. a flight recording) before -jar. */
  static HubProcess launch(
      ChildProcesses children,
      HttpClient http,
      Path jar,
      Path dataDir,
      Path log,
      String operatorKey,
      List<String> jvmOptions,
      List<String> settings)
      throws IOException, InterruptedException {
    int port = freeLoopbackPort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    command.add("--sessionbridge.data-dir=" + dataDir.toAbsolutePath());
    command.addAll(settings);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SESSIONBRIDGE_SECURITY_OPERATORKEY", operatorKey);
    long launchedAt = System.nanoTime();
    Process process = builder.start();
    children.add(process);
    URI base = URI.create("http://127.0.0.1:" + port);
    try {
      awaitHealthy(process, http, base, log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop(process);
      children.remove(process);
      throw e;
    }
    return new HubProcess(
        process, children, base, log, launchedAt, Duration.ofNanos(System.nanoTime() - launchedAt));
  }

  URI base() {
    return base;
  }

  Path log() {
    return log;
  }

  /** From launch to the first UP answer of the health endpoint. */
  Duration startup() {
    return startup;
  }

  /** When the child was launched, on the {@link System#nanoTime()} scale. */
  long launchedAt() {
    return launchedAt;
  }

  /** Stops the hub once; later calls answer the first result. */
  Stop stop() throws InterruptedException {
    if (stopped) {
      return new Stop(true, process.exitValue(), Duration.ZERO);
    }
    stopped = true;
    Stop result = stop(process);
    children.remove(process);
    return result;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static Stop stop(Process process) throws InterruptedException {
    long begin = System.nanoTime();
    process.destroy();
    boolean graceful = process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    if (!graceful) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
    int exit = process.isAlive() ? -1 : process.exitValue();
    return new Stop(graceful, exit, Duration.ofNanos(System.nanoTime() - begin));
  }

  private static void awaitHealthy(Process process, HttpClient http, URI base, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest health =
        HttpRequest.newBuilder(base.resolve("/actuator/health"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "hub exited with status "
                + process.exitValue()
                + " before /actuator/health answered UP; see "
                + log);
      }
      try {
        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"status\":\"UP\"")) {
          return;
        }
      } catch (IOException notYet) {
        // Connection refused until Tomcat binds the port: keep polling until the deadline.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "hub not healthy " + START_TIMEOUT.toSeconds() + "s after launch; see " + log);
      }
      Thread.sleep(100);
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
