package dev.kinetic.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * A function's pods as the operator sees them, with what the kubelet said of those that cannot
 * mount a volume, and what a node autoscaler said of those waiting for a node. Both are said only
 * in Events: the pod itself just waits in {@code ContainerCreating} or {@code Pending}.
 *
 * @param mountFailures pod name → the latest FailedMount message for it
 * @param nodesComing pod name → the latest message of a node autoscaler bringing a node for it
 *     ({@link NodesComing})
 */
public record ObservedPods(
    List<Pod> pods, Map<String, String> mountFailures, Map<String, String> nodesComing) {
  public static final ObservedPods NONE = new ObservedPods(List.of(), Map.of(), Map.of());

  public ObservedPods(List<Pod> pods, Map<String, String> mountFailures) {
    this(pods, mountFailures, Map.of());
  }

  public static ObservedPods of(List<Pod> pods) {
    return new ObservedPods(pods, Map.of(), Map.of());
  }
}
