package dev.kinetic.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a node autoscaler said of pods no node can take yet but a new one will: the cluster
 * autoscaler's {@code TriggeredScaleUp}, Karpenter's {@code Nominated}. Such a pod is a minute or
 * two from running, so its function's requests wait for it (as Knative's activator holds them)
 * instead of being answered 503 {@code Unschedulable} at once. Pure.
 */
public final class NodesComing {
  public static final String TRIGGERED_SCALE_UP = "TriggeredScaleUp";
  public static final String NOMINATED = "Nominated";
  public static final Set<String> REASONS = Set.of(TRIGGERED_SCALE_UP, NOMINATED);

  /**
   * How long such an Event counts. A node comes in minutes; one that has not come after this is not
   * coming, and the pod is {@code Unschedulable} again.
   */
  public static final Duration FRESH = Duration.ofMinutes(10);

  private NodesComing() {}

  /** Pod name → the latest such message for it, of those no older than {@link #FRESH}. */
  public static Map<String, String> byPod(List<Event> events, Instant now) {
    String notBefore = now.minus(FRESH).toString();
    return FailedMounts.latestByPod(
        events.stream()
            .filter(e -> REASONS.contains(e.getReason()))
            .filter(e -> FailedMounts.when(e).compareTo(notBefore) >= 0)
            .toList(),
        REASONS);
  }
}
