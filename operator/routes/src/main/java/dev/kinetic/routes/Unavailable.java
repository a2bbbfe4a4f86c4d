package dev.kinetic.routes;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a function is known not to be able to start a pod — its image cannot be pulled, its process
 * keeps exiting — so that requests waiting for one are answered now instead of at their timeout.
 *
 * @param reason the Ready condition's reason, for scripts (docs/troubleshooting.md lists them)
 * @param message the condition's message, for a person; the operator's, which holds no secret
 */
public record Unavailable(String reason, String message) {
  /**
   * The Ready=False reasons of the operator that say a pod cannot start without a change by
   * someone: a new image, a fixed manifest, room on a node. Not {@code Progressing} or {@code
   * ReconcileError}, which pass on their own.
   */
  public static final Set<String> CANNOT_START =
      Set.of(
          "ImagePullFailed",
          "CrashLoop",
          "ContainerConfigError",
          "VolumeMountFailed",
          "Unschedulable",
          "ReplicaFailure");

  /** From a Function's status conditions: present when its Ready condition says it cannot start. */
  public static Optional<Unavailable> fromConditions(List<Condition> conditions) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream()
        .filter(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> CANNOT_START.contains(c.getReason()))
        .findFirst()
        .map(c -> new Unavailable(c.getReason(), c.getMessage() == null ? "" : c.getMessage()));
  }
}
