package dev.kinetic.operator.autoscale;

import dev.kinetic.api.Function;
import dev.kinetic.autoscaler.Decision;
import dev.kinetic.operator.events.FunctionEvents;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.util.HexFormat;

/** The Event a user sees in {@code kubectl describe fn} when the autoscaler changes a scale. */
public final class ScaleEvents {
  static final String COMPONENT = "kinetic-autoscaler";

  private ScaleEvents() {}

  /** Pure: the same inputs give the same Event. */
  public static Event scaled(Function function, int from, Decision decision, Instant at) {
    return FunctionEvents.of(
        function,
        // kubectl's naming: the object's name and a unique suffix from the time.
        function.getMetadata().getName()
            + "."
            + HexFormat.of().toHexDigits(at.getEpochSecond() * 1_000_000_000L + at.getNano()),
        "Normal",
        decision.replicas() > from ? "ScaledUp" : "ScaledDown",
        "scaled from " + from + " to " + decision.replicas() + ": " + decision.reason(),
        at,
        COMPONENT);
  }
}
