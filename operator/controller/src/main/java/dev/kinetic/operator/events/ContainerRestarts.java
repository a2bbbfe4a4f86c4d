package dev.kinetic.operator.events;

import dev.kinetic.api.Function;
import dev.kinetic.operator.status.Terminations;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Event that says a function's container ended and the kubelet restarted it: most often it went
 * over its memory limit (OOMKilled). A pod that keeps crashing is a {@code CrashLoop} condition;
 * one that crashed once under a burst and came back is ready again, and only this Event says why
 * the requests in flight on it failed. Pure.
 */
public final class ContainerRestarts {
  static final String REASON = "ContainerRestarted";

  private ContainerRestarts() {}

  /**
   * One Event per pod for the last time its container ended, named after the pod and the restart
   * count, so that each restart is reported once; none for a restart older than the hour Events
   * live.
   */
  public static Stream<Event> events(Function function, Pod pod, Instant now) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Stream.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .flatMap(status -> event(function, pod, status, now).stream());
  }

  private static Optional<Event> event(
      Function function, Pod pod, ContainerStatus status, Instant now) {
    int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
    ContainerStateTerminated last =
        status.getLastState() == null ? null : status.getLastState().getTerminated();
    if (restarts == 0 || last == null) {
      return Optional.empty();
    }
    Instant at = FunctionEvents.instant(last.getFinishedAt()).orElse(now);
    if (Duration.between(at, now).compareTo(FunctionEvents.REPORTED_WITHIN) > 0) {
      return Optional.empty();
    }
    String message =
        "container "
            + status.getName()
            + " of pod "
            + pod.getMetadata().getName()
            + " ended with "
            + Terminations.exit(last)
            + " and was restarted (restart "
            + restarts
            + "): "
            + (Terminations.outOfMemory(last)
                ? Terminations.RAISE_MEMORY
                : "its log before the restart says why (kubectl logs --previous)")
            + ". Requests in flight on it failed.";
    return Optional.of(
        FunctionEvents.of(
            function,
            function.getMetadata().getName()
                + ".restarted."
                + pod.getMetadata().getUid()
                + "."
                + restarts,
            "Warning",
            REASON,
            message,
            at,
            FunctionEvents.OPERATOR));
  }
}
