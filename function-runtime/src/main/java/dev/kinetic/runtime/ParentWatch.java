package dev.kinetic.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * Stops the process once the program that started it is gone, when that program asks for it by
 * setting {@code KINETIC_PARENT_PID} to its own process id. Local mode does: a supervisor killed
 * outright ({@code kill -9}, an IDE's second stop) cannot stop its processes, which would go on
 * serving nobody and holding their ports. In a pod nothing sets it; the kubelet stops containers.
 * The JDK polls a process that is not a child (every 0.3 s at first, at most every 5 s), so the end
 * is noticed within seconds; a process id taken again by another process counts as the end.
 */
final class ParentWatch {
  static final String VARIABLE = "KINETIC_PARENT_PID";

  private ParentWatch() {}

  /**
   * @param exit what stops the process (the drain runs in its shutdown hook); run at once when the
   *     named process is already gone
   */
  static void start(Map<String, String> env, JsonLog log, Runnable exit) {
    String raw = env.get(VARIABLE);
    if (raw == null || raw.isBlank()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      log.write("WARN", VARIABLE + " is not a process id; not watched", Map.of("value", raw), null);
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(pid);
    if (parent.isEmpty() || !parent.get().isAlive()) {
      stop(log, pid, exit);
      return;
    }
    // Only where a parent is named (local mode), after the start is measured: a lambda's class
    // costs nothing that counts here.
    parent.get().onExit().thenRun(() -> stop(log, pid, exit));
  }

  private static void stop(JsonLog log, long pid, Runnable exit) {
    log.write(
        "INFO",
        "the program that started this process is gone: stopping",
        Map.of("pid", pid),
        null);
    exit.run();
  }
}
