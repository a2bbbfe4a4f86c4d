package dev.kinetic.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentHealthTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        row("no deployment yet", null, List.of(), "Unknown", "Creating", "being created"),
        row(
            "controller has not seen the new generation",
            deployment(2, 1, 1, 1, 1),
            List.of(),
            "Unknown",
            "Deploying",
            "generation 2"),
        row(
            "scaled to zero",
            deployment(1, 1, 0, 0, 0),
            List.of(),
            "True",
            "ScaledToZero",
            "scaled to zero"),
        row(
            "one of two ready",
            deployment(1, 1, 2, 2, 1),
            List.of(),
            "True",
            "Available",
            "1 of 2 pods ready"),
        row(
            "none ready",
            deployment(1, 1, 1, 1, 0),
            List.of(),
            "Unknown",
            "PodsNotReady",
            "0 of 1"),
        row(
            "rolling out",
            deployment(1, 1, 2, 1, 2),
            List.of(),
            "Unknown",
            "RollingOut",
            "1 of 2 pods run"),
        row(
            "image cannot be pulled",
            deployment(1, 1, 1, 1, 0),
            List.of(waitingPod("hello-1", "ImagePullBackOff", "Back-off pulling image \"nope:1\"")),
            "False",
            "ImagePullFailed",
            "pod hello-1 cannot pull image nope:1 (ImagePullBackOff): Back-off pulling image"),
        row(
            "missing secret",
            deployment(1, 1, 1, 1, 0),
            List.of(waitingPod("hello-1", "CreateContainerConfigError", "secret \"db\" not found")),
            "False",
            "ContainerConfigError",
            "secret \"db\" not found"),
        row(
            "crash loop",
            deployment(1, 1, 1, 1, 0),
            List.of(crashingPod("hello-1")),
            "False",
            "CrashLoop",
            "pod hello-1 keeps crashing: 4 restarts; last exit code 1 (Error)"),
        row(
            "replica failure (e.g. quota)",
            withCondition(
                deployment(1, 1, 1, 0, 0),
                "ReplicaFailure",
                "True",
                "FailedCreate",
                "exceeded quota"),
            List.of(),
            "False",
            "ReplicaFailure",
            "exceeded quota"),
        row(
            "progress deadline",
            withCondition(
                deployment(1, 1, 1, 1, 0),
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                "took too long"),
            List.of(),
            "False",
            "ProgressDeadlineExceeded",
            "took too long"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void diagnoses(
      String name,
      Deployment deployment,
      List<Pod> pods,
      String status,
      String reason,
      String message) {
    Verdict verdict = DeploymentHealth.diagnose(deployment, pods);
    assertThat(verdict.status()).isEqualTo(status);
    assertThat(verdict.reason()).isEqualTo(reason);
    assertThat(verdict.message()).contains(message);
  }

  private static Arguments row(
      String name, Deployment d, List<Pod> pods, String status, String reason, String message) {
    return Arguments.of(name, d, pods, status, reason, message);
  }

  static Deployment deployment(long generation, long observed, int wanted, int updated, int ready) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("hello")
        .withGeneration(generation)
        .endMetadata()
        .withNewSpec()
        .withReplicas(wanted)
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withReplicas(Math.max(wanted, updated))
        .withUpdatedReplicas(updated)
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }

  static Deployment withCondition(
      Deployment d, String type, String status, String reason, String message) {
    d.getStatus()
        .getConditions()
        .add(
            new DeploymentConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .build());
    return d;
  }

  static Pod waitingPod(String name, String reason, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("function")
                .withImage("nope:1")
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .build())
        .endStatus()
        .build();
  }

  static Pod crashingPod(String name) {
    Pod pod = waitingPod(name, "CrashLoopBackOff", "back-off 40s restarting failed container");
    pod.getStatus().getContainerStatuses().get(0).setRestartCount(4);
    pod.getStatus()
        .getContainerStatuses()
        .get(0)
        .setLastState(
            new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(1)
                .withReason("Error")
                .endTerminated()
                .build());
    return pod;
  }
}
