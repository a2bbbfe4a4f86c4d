package dev.kinetic.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns what the Deployment and its pods report into the DeploymentReady condition. Pure.
 *
 * <p>Problems come first: a pod that cannot pull its image or keeps crashing is named, so the user
 * sees why, not merely that nothing is ready.
 */
public final class DeploymentHealth {
  static final Set<String> IMAGE_PULL_REASONS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
  static final Set<String> CONFIG_REASONS =
      Set.of("CreateContainerConfigError", "CreateContainerError");

  private DeploymentHealth() {}

  public static Verdict diagnose(Deployment deployment, ObservedPods observed) {
    if (deployment == null) {
      return Verdict.waiting("Creating", "the Deployment is being created");
    }
    List<Pod> byName =
        observed.pods().stream()
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    Optional<Verdict> podProblem =
        byName.stream()
            .map(p -> podProblem(p, observed.mountFailures()))
            .flatMap(Optional::stream)
            .findFirst();
    if (podProblem.isPresent()) {
      return podProblem.get();
    }
    DeploymentStatus status =
        deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
    Optional<Verdict> deploymentProblem = deploymentProblem(status);
    // Some pods exist and others cannot be created (a quota) or placed (no room on a node): the
    // function runs on fewer pods than asked for, which is no reason to refuse its requests.
    Optional<Verdict> limit =
        byName.stream()
            .map(p -> unschedulable(p, observed.nodesComing()))
            .flatMap(Optional::stream)
            .findFirst()
            .or(() -> deploymentProblem.filter(v -> "ReplicaFailure".equals(v.reason())));
    if (limit.isPresent() && !anyPodPlaced(status, byName)) {
      return limit.get();
    }
    if (deploymentProblem.isPresent() && limit.isEmpty()) {
      return deploymentProblem.get();
    }
    long generation = orZero(deployment.getMetadata().getGeneration());
    if (orZero(status.getObservedGeneration()) < generation) {
      return Verdict.waiting(
          "Deploying", "waiting for the Deployment controller to act on generation " + generation);
    }
    int wanted = orZero(deployment.getSpec().getReplicas());
    int updated = orZero(status.getUpdatedReplicas());
    int ready = orZero(status.getReadyReplicas());
    if (wanted == 0) {
      return Verdict.ok(
          "ScaledToZero", "no pods are running; the next request starts one (scaled to zero)");
    }
    if (limit.isPresent()) {
      String counts =
          ready
              + " of "
              + wanted
              + " pods ready; "
              // A pod waiting for a node will start: "no more can start" would be wrong there.
              + (limit.get().isWaiting() ? "" : "no more can start: ");
      return ready >= 1
          ? Verdict.ok("PodsLimited", counts + limit.get().message())
          : Verdict.waiting("PodsNotReady", counts + limit.get().message());
    }
    if (updated < wanted) {
      return Verdict.waiting(
          "RollingOut", updated + " of " + wanted + " pods run the current version");
    }
    if (ready >= 1) {
      return Verdict.ok("Available", ready + " of " + wanted + " pods ready");
    }
    return Verdict.waiting("PodsNotReady", "0 of " + wanted + " pods ready");
  }

  /**
   * Whether a pod of the function is on a node or on its way to one. The pods the operator sees
   * count as well as the Deployment's figure, which lags: the ReplicaSet's first status after a
   * quota refused some pods does not count the ones it had just created.
   */
  private static boolean anyPodPlaced(DeploymentStatus status, List<Pod> pods) {
    return orZero(status.getReplicas()) > 0 && pods.isEmpty()
        || pods.stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .anyMatch(p -> unschedulable(p, Map.of()).isEmpty());
  }

  /**
   * A pod no node can take, named with the scheduler's reason; or, when a node autoscaler is
   * bringing one for it, a pod waiting for that node (not a failure: its requests wait).
   */
  static Optional<Verdict> unschedulable(Pod pod, Map<String, String> nodesComing) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(pod.getStatus().getConditions()).stream()
        .flatMap(List::stream)
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> "Unschedulable".equals(c.getReason()))
        .findFirst()
        .map(
            c -> {
              String name = pod.getMetadata().getName();
              String coming = nodesComing.get(name);
              return coming != null
                  ? Verdict.waiting(
                      "WaitingForNode",
                      "pod " + name + " waits for a node being added for it: " + coming)
                  : Verdict.failed(
                      "Unschedulable",
                      "pod " + name + " cannot be scheduled: " + text(c.getMessage()));
            });
  }

  /**
   * A pod whose container cannot start: its image, its configuration, its volumes, or its process.
   */
  static Optional<Verdict> podProblem(Pod pod, Map<String, String> mountFailures) {
    String name = pod.getMetadata().getName();
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    List<ContainerStatus> statuses =
        Stream.concat(
                Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).stream()
                    .flatMap(List::stream),
                Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream()
                    .flatMap(List::stream))
            .toList();
    return statuses.stream()
        .map(s -> containerProblem(name, s))
        .flatMap(Optional::stream)
        .findFirst()
        .or(() -> mountProblem(pod, statuses, mountFailures.get(name)));
  }

  /**
   * A pod the kubelet cannot give its volumes: a Secret or ConfigMap that does not exist, or lacks
   * a key. It waits to be created until they appear; said only while it waits, since the Event
   * outlives the problem.
   */
  private static Optional<Verdict> mountProblem(
      Pod pod, List<ContainerStatus> statuses, String failure) {
    boolean creating =
        statuses.isEmpty()
            ? "Pending".equals(pod.getStatus().getPhase())
            : statuses.stream()
                .allMatch(
                    s ->
                        s.getState() != null
                            && s.getState().getWaiting() != null
                            && "ContainerCreating".equals(s.getState().getWaiting().getReason()));
    if (failure == null || !creating) {
      return Optional.empty();
    }
    // e.g. 'MountVolume.SetUp failed for volume "db" : secret "db" not found': names, never values.
    return Optional.of(
        Verdict.failed(
            "VolumeMountFailed",
            "pod " + pod.getMetadata().getName() + " cannot mount its volumes: " + failure));
  }

  private static Optional<Verdict> containerProblem(String pod, ContainerStatus status) {
    if (status.getState() == null || status.getState().getWaiting() == null) {
      return Optional.empty();
    }
    ContainerStateWaiting waiting = status.getState().getWaiting();
    String reason = Objects.toString(waiting.getReason(), "");
    if (IMAGE_PULL_REASONS.contains(reason)) {
      return Optional.of(
          Verdict.failed(
              "ImagePullFailed",
              "pod "
                  + pod
                  + " cannot pull image "
                  + status.getImage()
                  + " ("
                  + reason
                  + "): "
                  + text(waiting.getMessage())));
    }
    if (CONFIG_REASONS.contains(reason)) {
      // e.g. 'secret "db" not found': the message names the reference, never a secret's value.
      return Optional.of(
          Verdict.failed(
              "ContainerConfigError",
              "pod " + pod + " cannot start its container: " + text(waiting.getMessage())));
    }
    if ("CrashLoopBackOff".equals(reason)) {
      ContainerStateTerminated last =
          status.getLastState() == null ? null : status.getLastState().getTerminated();
      String exit =
          last == null
              ? ""
              : "; last "
                  + Terminations.exit(last)
                  + (Terminations.outOfMemory(last) ? ": " + Terminations.RAISE_MEMORY : "");
      return Optional.of(
          Verdict.failed(
              "CrashLoop",
              "pod "
                  + pod
                  + " keeps crashing: "
                  + orZero(status.getRestartCount())
                  + " restarts"
                  + exit));
    }
    return Optional.empty();
  }

  private static Optional<Verdict> deploymentProblem(DeploymentStatus status) {
    for (DeploymentCondition c : Optional.ofNullable(status.getConditions()).orElse(List.of())) {
      if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
        return Optional.of(Verdict.failed("ReplicaFailure", text(c.getMessage())));
      }
      if ("Progressing".equals(c.getType())
          && "False".equals(c.getStatus())
          && "ProgressDeadlineExceeded".equals(c.getReason())) {
        return Optional.of(Verdict.failed("ProgressDeadlineExceeded", text(c.getMessage())));
      }
    }
    return Optional.empty();
  }

  private static String text(String message) {
    return message == null || message.isBlank() ? "no details given" : message;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
