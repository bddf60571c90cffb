package org.sessionbridge.config.killtest;

import java.io.File;
import java.io.IOException;
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
import java.util.function.IntFunction;
import org.sessionbridge.config.SessionBridgeApplication;

/**
 * The hub as a child JVM on this test's classpath, so tests can SIGKILL it. Its output goes to
 * {@code hub.log} in the data directory.
 */
final class HubProcess implements AutoCloseable {

  private final Path dataDir;
  private final List<String> extraArgs;
  private final Path jar;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  HubProcess(Path dataDir, List<String> extraArgs) throws IOException {
    this(dataDir, port -> extraArgs, null);
  }

  /**
   * The hub started as a user starts it: {@code java -jar sessionbridge.jar} (built by {@code
   * package}, before Failsafe runs), instead of from the test classpath.
   */
  static HubProcess jar(Path dataDir, List<String> extraArgs) throws IOException {
    return jar(dataDir, port -> extraArgs);
  }

  /**
   * As {@link #jar(Path, List)}, with arguments that depend on the hub's port (its {@code
   * sessionbridge.public-base-url}, where push notifications are sent).
   */
  static HubProcess jar(Path dataDir, IntFunction<List<String>> extraArgs) throws IOException {
    Path jar = Path.of("target", "sessionbridge.jar").toAbsolutePath();
    if (!java.nio.file.Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (or verify) first");
    }
    return new HubProcess(dataDir, extraArgs, jar);
  }

  private HubProcess(
      Path dataDir,
      IntFunction<List<String>> extraArgs,
      @org.jspecify.annotations.Nullable Path jar)
      throws IOException {
    this.jar = jar;
    this.dataDir = dataDir;
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    }
    this.extraArgs = List.copyOf(extraArgs.apply(port));
  }

  /** The last lines the hub logged, for a failure message. */
  String logTail() {
    try {
      List<String> lines = java.nio.file.Files.readAllLines(dataDir.resolve("hub.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no hub.log: " + e.getMessage() + ")";
    }
  }

  int port() {
    return port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Starts the child and waits until /actuator/health answers UP. */
  void start() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1");
    if (jar != null) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(SessionBridgeApplication.class.getName());
    }
    command.add("--server.port=" + port);
    command.add("--sessionbridge.data-dir=" + dataDir);
    command.addAll(extraArgs);
    File log = dataDir.resolve("hub.log").toFile();
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the hub exited with " + process.exitValue() + " during start; see " + log);
      }
      if (healthy()) {
        return;
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException("the hub did not become healthy in 120 s; see " + log);
  }

  private boolean healthy() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri("/actuator/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"UP\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: no shutdown hook, no graceful close of the database. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait: the graceful path (Camel stops, H2 closes its file). */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
