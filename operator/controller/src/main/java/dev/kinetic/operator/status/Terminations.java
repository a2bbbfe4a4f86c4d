package dev.kinetic.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;

/**
 * How a container ended, in the words the status and the Events share. Going over the memory limit
 * is the one end the user fixes in the Function itself, so that one says how.
 */
public final class Terminations {
  private Terminations() {}

  /** E.g. {@code exit code 137 (OOMKilled)}. */
  public static String exit(ContainerStateTerminated last) {
    return "exit code "
        + last.getExitCode()
        + (last.getReason() == null ? "" : " (" + last.getReason() + ")");
  }

  public static boolean outOfMemory(ContainerStateTerminated last) {
    return "OOMKilled".equals(last.getReason());
  }

  /** What to do about an out-of-memory end. */
  public static final String RAISE_MEMORY =
      "it used more memory than its limit; raise resources.limits.memory";
}
