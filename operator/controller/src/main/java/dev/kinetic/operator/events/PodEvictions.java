package dev.kinetic.operator.events;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Event that says a node evicted one of a function's pods (the node ran short of memory or
 * disk, or the pod went over its {@code ephemeral-storage} limit). No condition can keep it: the
 * Deployment replaces the pod and the function is ready again, but the requests in flight on the
 * evicted pod failed, and this is where a user looking for why finds it. Pure.
 */
public final class PodEvictions {
  static final String REASON = "PodEvicted";

  private PodEvictions() {}

  public static boolean evicted(Pod pod) {
    PodStatus status = pod.getStatus();
    return status != null
        && "Failed".equals(status.getPhase())
        && "Evicted".equals(status.getReason());
  }

  /**
   * The Event for an evicted pod, named after the pod so that it is created once whoever reports
   * it; empty for a pod that was not evicted, or was evicted too long ago.
   */
  public static Optional<Event> event(Function function, Pod pod, Instant now) {
    if (!evicted(pod)) {
      return Optional.empty();
    }
    Instant at = evictedAt(pod).orElse(now);
    if (Duration.between(at, now).compareTo(FunctionEvents.REPORTED_WITHIN) > 0) {
      return Optional.empty();
    }
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    String why = pod.getStatus().getMessage();
    String message =
        "pod "
            + pod.getMetadata().getName()
            + " was evicted by "
            + (node == null ? "its node" : "node " + node)
            + ": "
            + sentence(why == null || why.isBlank() ? "no reason given" : why.strip())
            + " Requests in flight on it failed; the Deployment starts another.";
    return Optional.of(
        FunctionEvents.of(
            function,
            function.getMetadata().getName() + ".evicted." + pod.getMetadata().getUid(),
            "Warning",
            REASON,
            message,
            at,
            FunctionEvents.OPERATOR));
  }

  private static String sentence(String text) {
    return text.endsWith(".") ? text : text + ".";
  }

  /**
   * When the node evicted the pod: its {@code DisruptionTarget} condition (the kubelet sets it
   * since Kubernetes 1.26), else when its container ended.
   */
  static Optional<Instant> evictedAt(Pod pod) {
    Stream<String> condition =
        Optional.ofNullable(pod.getStatus().getConditions()).stream()
            .flatMap(List::stream)
            .filter(c -> "DisruptionTarget".equals(c.getType()))
            .map(PodCondition::getLastTransitionTime);
    Stream<String> ended =
        Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream()
            .flatMap(List::stream)
            .map(ContainerStatus::getState)
            .filter(s -> s != null && s.getTerminated() != null)
            .map(s -> s.getTerminated().getFinishedAt());
    return Stream.concat(condition, ended)
        .flatMap(text -> FunctionEvents.instant(text).stream())
        .findFirst();
  }
}
