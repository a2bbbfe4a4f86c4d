package dev.kinetic.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
            "crash loop over the memory limit",
            deployment(1, 1, 1, 1, 0),
            List.of(crashingPod("hello-1", 137, "OOMKilled")),
            "False",
            "CrashLoop",
            "pod hello-1 keeps crashing: 4 restarts; last exit code 137 (OOMKilled): it used more"
                + " memory than its limit; raise resources.limits.memory"),
        row(
            "replica failure (e.g. quota), no pod at all",
            withPodsCounted(
                withCondition(
                    deployment(1, 1, 1, 0, 0),
                    "ReplicaFailure",
                    "True",
                    "FailedCreate",
                    "exceeded quota"),
                0),
            List.of(),
            "False",
            "ReplicaFailure",
            "exceeded quota"),
        row(
            "a quota refused the third of three pods; two are starting",
            withPodsCounted(quotaRefused(deployment(1, 1, 3, 2, 0)), 2),
            List.of(pod("slow-a"), pod("slow-b")),
            "Unknown",
            "PodsNotReady",
            "0 of 3 pods ready; no more can start: exceeded quota"),
        row(
            "the same before the Deployment counts the two pods it just created",
            withPodsCounted(quotaRefused(deployment(1, 1, 3, 0, 0)), 0),
            List.of(pod("slow-a"), pod("slow-b")),
            "Unknown",
            "PodsNotReady",
            "no more can start: exceeded quota"),
        row(
            "a quota refused the third of three pods; two are ready",
            withPodsCounted(quotaRefused(deployment(1, 1, 3, 2, 2)), 2),
            List.of(pod("slow-a"), pod("slow-b")),
            "True",
            "PodsLimited",
            "2 of 3 pods ready; no more can start: exceeded quota"),
        row(
            "a quota refused every pod; only a leaving one is left",
            withPodsCounted(quotaRefused(deployment(1, 1, 1, 0, 0)), 0),
            List.of(leaving(pod("slow-old"))),
            "False",
            "ReplicaFailure",
            "exceeded quota"),
        row(
            "no node can take the only pod",
            deployment(1, 1, 1, 1, 0),
            List.of(unschedulable(pod("slow-a"))),
            "False",
            "Unschedulable",
            "pod slow-a cannot be scheduled: 0/1 nodes are available: 1 Insufficient cpu."),
        row(
            "no node can take the second pod; the first is ready",
            deployment(1, 1, 2, 2, 1),
            List.of(pod("slow-a"), unschedulable(pod("slow-b"))),
            "True",
            "PodsLimited",
            "1 of 2 pods ready; no more can start: pod slow-b cannot be scheduled"),
        row(
            "a crashing pod is named before a pod no node can take",
            deployment(1, 1, 2, 2, 0),
            List.of(unschedulable(pod("slow-a")), crashingPod("slow-b")),
            "False",
            "CrashLoop",
            "pod slow-b keeps crashing"),
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
    Verdict verdict = DeploymentHealth.diagnose(deployment, ObservedPods.of(pods));
    assertThat(verdict.status()).isEqualTo(status);
    assertThat(verdict.reason()).isEqualTo(reason);
    assertThat(verdict.message()).contains(message);
  }

  @Test
  void aPodThatCannotMountAVolumeIsNamedWithTheKubeletsWordsWhileItWaits() {
    String failure = "MountVolume.SetUp failed for volume \"db\" : secret \"db\" not found";
    Pod creating = waitingPod("hello-1", "ContainerCreating", null);

    Verdict verdict =
        DeploymentHealth.diagnose(
            deployment(1, 1, 1, 1, 0),
            new ObservedPods(List.of(creating), Map.of("hello-1", failure)));

    assertThat(verdict.status()).isEqualTo("False");
    assertThat(verdict.reason()).isEqualTo("VolumeMountFailed");
    assertThat(verdict.message()).isEqualTo("pod hello-1 cannot mount its volumes: " + failure);
    // The Event outlives the problem: once the Secret exists the pod starts, and the old Event
    // says nothing of it.
    assertThat(
            DeploymentHealth.diagnose(
                    deployment(1, 1, 1, 1, 1),
                    new ObservedPods(List.of(pod("hello-1")), Map.of("hello-1", failure)))
                .reason())
        .isEqualTo("Available");
    // Another pod's Event is not this one's.
    assertThat(
            DeploymentHealth.diagnose(
                    deployment(1, 1, 1, 1, 0),
                    new ObservedPods(List.of(creating), Map.of("hello-2", failure)))
                .reason())
        .isEqualTo("PodsNotReady");
  }

  @Test
  void aPodANodeIsBeingAddedForWaitsForItInsteadOfBeingUnschedulable() {
    String coming = "pod triggered scale-up: [{functions-pool 1->2 (max: 10)}]";

    Verdict only =
        DeploymentHealth.diagnose(
            deployment(1, 1, 1, 1, 0),
            new ObservedPods(
                List.of(unschedulable(pod("slow-a"))), Map.of(), Map.of("slow-a", coming)));

    assertThat(only.status()).as("not False: its requests wait").isEqualTo("Unknown");
    assertThat(only.reason()).isEqualTo("WaitingForNode");
    assertThat(only.message())
        .isEqualTo("pod slow-a waits for a node being added for it: " + coming);
    Verdict second =
        DeploymentHealth.diagnose(
            deployment(1, 1, 2, 2, 1),
            new ObservedPods(
                List.of(pod("slow-a"), unschedulable(pod("slow-b"))),
                Map.of(),
                Map.of("slow-b", coming)));
    assertThat(second.reason()).isEqualTo("PodsLimited");
    assertThat(second.message())
        .isEqualTo("1 of 2 pods ready; pod slow-b waits for a node being added for it: " + coming);
    // Another pod's node is not this one's.
    assertThat(
            DeploymentHealth.diagnose(
                    deployment(1, 1, 1, 1, 0),
                    new ObservedPods(
                        List.of(unschedulable(pod("slow-a"))), Map.of(), Map.of("slow-b", coming)))
                .reason())
        .isEqualTo("Unschedulable");
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

  static Deployment withPodsCounted(Deployment d, int pods) {
    d.getStatus().setReplicas(pods);
    return d;
  }

  static Deployment quotaRefused(Deployment d) {
    return withCondition(d, "ReplicaFailure", "True", "FailedCreate", "exceeded quota");
  }

  /** A pod scheduled to a node, its container not ready yet. */
  static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  static Pod unschedulable(Pod pod) {
    pod.getStatus().getConditions().get(0).setStatus("False");
    pod.getStatus().getConditions().get(0).setReason("Unschedulable");
    pod.getStatus()
        .getConditions()
        .get(0)
        .setMessage("0/1 nodes are available: 1 Insufficient cpu.");
    return pod;
  }

  static Pod leaving(Pod pod) {
    pod.getMetadata().setDeletionTimestamp("2026-12-06T03:00:00Z");
    return pod;
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
    return crashingPod(name, 1, "Error");
  }

  static Pod crashingPod(String name, int exitCode, String reason) {
    Pod pod = waitingPod(name, "CrashLoopBackOff", "back-off 40s restarting failed container");
    pod.getStatus().getContainerStatuses().get(0).setRestartCount(4);
    pod.getStatus()
        .getContainerStatuses()
        .get(0)
        .setLastState(
            new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .endTerminated()
                .build());
    return pod;
  }
}
