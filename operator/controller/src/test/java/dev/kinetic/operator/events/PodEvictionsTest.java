package dev.kinetic.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.operator.Functions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodEvictionsTest {
  static final Instant EVICTED = Instant.parse("2026-12-06T10:00:00Z");
  private final Function hello = Functions.function("hello", "img:1");

  /** An evicted pod as the kubelet leaves it: Failed, reason Evicted, a DisruptionTarget. */
  static Pod evicted(String name, String uid) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("test")
        .withUid(uid)
        .endMetadata()
        .withNewSpec()
        .withNodeName("kinetic-node")
        .endSpec()
        .withNewStatus()
        .withPhase("Failed")
        .withReason("Evicted")
        .withMessage(
            "Pod ephemeral local storage usage exceeds the total limit of containers 8Ki. ")
        .addNewCondition()
        .withType("DisruptionTarget")
        .withStatus("True")
        .withReason("TerminationByKubelet")
        .withLastTransitionTime(EVICTED.toString())
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void anEvictedPodIsAWarningNamedAfterItWithTheNodesReasonAtTheTimeOfTheEviction() {
    var event = PodEvictions.event(hello, evicted("hello-abc", "u1"), EVICTED.plusSeconds(30));

    assertThat(event)
        .hasValueSatisfying(
            e -> {
              assertThat(e.getMetadata().getName()).isEqualTo("hello.evicted.u1");
              assertThat(e.getMetadata().getNamespace()).isEqualTo("test");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Function");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-hello");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("PodEvicted");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "pod hello-abc was evicted by node kinetic-node: Pod ephemeral local"
                          + " storage usage exceeds the total limit of containers 8Ki. Requests in"
                          + " flight on it failed; the Deployment starts another.");
              assertThat(e.getLastTimestamp()).isEqualTo(EVICTED.toString());
            });
  }

  @Test
  void aPodThatWasNotEvictedOrWasEvictedBeforeEventsExpireIsNotReported() {
    Pod running = evicted("hello-abc", "u1");
    running.getStatus().setPhase("Running");
    running.getStatus().setReason(null);
    assertThat(PodEvictions.event(hello, running, EVICTED)).isEmpty();

    Pod crashed = evicted("hello-abc", "u1");
    crashed.getStatus().setReason("Error");
    assertThat(PodEvictions.event(hello, crashed, EVICTED)).isEmpty();

    assertThat(PodEvictions.event(hello, evicted("hello-abc", "u1"), EVICTED.plusSeconds(7200)))
        .as("found by an operator that started long after")
        .isEmpty();
  }

  @Test
  void withoutADisruptionConditionTheContainersEndIsTheTimeAndWithoutEitherNow() {
    Pod pod = evicted("hello-abc", "u1");
    pod.getStatus().setConditions(null);
    assertThat(PodEvictions.evictedAt(pod)).isEmpty();
    pod.getStatus()
        .setContainerStatuses(
            java.util.List.of(
                new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                    .withName("function")
                    .withNewState()
                    .withNewTerminated()
                    .withFinishedAt("2026-12-06T10:00:05Z")
                    .endTerminated()
                    .endState()
                    .build()));
    assertThat(PodEvictions.evictedAt(pod)).contains(Instant.parse("2026-12-06T10:00:05Z"));
  }
}
