package dev.kinetic.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * A function's pods as the operator sees them, with what the kubelet said of those that cannot
 * mount a volume. That is said only in an Event ({@code FailedMount}): the pod itself just waits in
 * {@code ContainerCreating}, as a healthy one does for a second or two.
 *
 * @param mountFailures pod name → the latest FailedMount message for it
 */
public record ObservedPods(List<Pod> pods, Map<String, String> mountFailures) {
  public static final ObservedPods NONE = new ObservedPods(List.of(), Map.of());

  public static ObservedPods of(List<Pod> pods) {
    return new ObservedPods(pods, Map.of());
  }
}
