package dev.kinetic.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.operator.Functions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerRestartsTest {
  static final Instant ENDED = PodEvictionsTest.EVICTED;
  private final Function hello = Functions.function("hello", "img:1");

  /** A running pod whose container ended once and was restarted. */
  static Pod restarted(String name, String uid, int restarts, String reason, int exitCode) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withUid(uid)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .addNewContainerStatus()
        .withName("function")
        .withRestartCount(restarts)
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withFinishedAt(ENDED.toString())
        .endTerminated()
        .endLastState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void anOomKillSaysToRaiseTheMemoryLimitAndIsNamedAfterThePodAndTheRestart() {
    assertThat(
            ContainerRestarts.events(
                hello, restarted("hello-abc", "u1", 3, "OOMKilled", 137), ENDED.plusSeconds(5)))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getMetadata().getName()).isEqualTo("hello.restarted.u1.3");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("ContainerRestarted");
              assertThat(e.getMessage())
                  .contains("exit code 137 (OOMKilled)", "raise resources.limits.memory");
              assertThat(e.getLastTimestamp()).isEqualTo(ENDED.toString());
            });
  }

  @Test
  void aContainerNeverRestartedOrRestartedLongAgoHasNone() {
    Pod fresh = restarted("hello-abc", "u1", 0, "OOMKilled", 137);
    fresh.getStatus().getContainerStatuses().get(0).setLastState(null);
    assertThat(ContainerRestarts.events(hello, fresh, ENDED)).isEmpty();
    assertThat(
            ContainerRestarts.events(
                hello, restarted("hello-abc", "u1", 1, "Error", 1), ENDED.plusSeconds(7200)))
        .isEmpty();
    assertThat(ContainerRestarts.events(hello, new Pod(), ENDED)).isEmpty();
  }
}
