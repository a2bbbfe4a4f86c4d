package dev.kinetic.it;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.Pod;

/** Ready conditions as users read them: a Function's status, a pod's. */
final class Readiness {
  private Readiness() {}

  static boolean ready(Function f) {
    return f.getStatus() != null
        && f.getStatus().getConditions() != null
        && f.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
