package dev.kinetic.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Condition types and the one rule of their transitions. Pure apart from the injected clock. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String DEPLOYMENT_READY = "DeploymentReady";
  public static final String ROUTES_READY = "RoutesReady";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  /**
   * Returns {@code existing} with {@code wanted} in place of the condition of the same type. {@code
   * lastTransitionTime} moves only when the status changes, as the Kubernetes API conventions
   * require; reason and message may change without it.
   */
  public static List<Condition> set(
      List<Condition> existing, Verdict wanted, String type, long generation, Clock clock) {
    Optional<Condition> previous = find(existing, type);
    String since =
        previous
            .filter(p -> wanted.status().equals(p.getStatus()) && p.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> timestamp(clock.instant()));
    Condition condition =
        new ConditionBuilder()
            .withType(type)
            .withStatus(wanted.status())
            .withReason(wanted.reason())
            .withMessage(wanted.message())
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build();
    List<Condition> result = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : existing) {
      if (type.equals(c.getType())) {
        result.add(condition);
        replaced = true;
      } else {
        result.add(c);
      }
    }
    if (!replaced) {
      result.add(condition);
    }
    return result;
  }

  /** Returns {@code existing} without the condition of that type. */
  public static List<Condition> remove(List<Condition> existing, String type) {
    return existing.stream().filter(c -> !type.equals(c.getType())).toList();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** RFC 3339 at second precision, the form metav1.Time uses on the wire. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
