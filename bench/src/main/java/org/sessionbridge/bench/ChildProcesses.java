package org.sessionbridge.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The hub processes this harness started, so that {@link HubLoad}'s shutdown hook can stop whatever
 * is still running: a failed phase, an exception or Ctrl-C never leaves a hub behind on a shared
 * machine.
 */
final class ChildProcesses {

  private final Set<Process> live = ConcurrentHashMap.newKeySet();

  void add(Process process) {
    live.add(process);
  }

  void remove(Process process) {
    live.remove(process);
  }

  /** SIGTERM to every child (and its descendants), then SIGKILL to any still running after 20s. */
  void stopAll() {
    List<Process> all = List.copyOf(live);
    for (Process p : all) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      live.remove(p);
    }
  }
}
