package dev.kinetic.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalerUnitTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ScalingSpec SPEC = new ScalingSpec(0, 10, 10, Duration.ofSeconds(60));

  @Test
  void aDemandSignalAtZeroAsksForOnePodAtOnce() {
    FunctionScaler scaler = new FunctionScaler(ScalingPolicy.defaults(), SPEC, T0);
    Decision d = scaler.demand(T0, 1, 0, 0).orElseThrow();
    assertThat(d.replicas()).isEqualTo(1);
    assertThat(d.reason()).isEqualTo("1 request waiting at zero pods: scaling to 1 now");
    assertThat(scaler.demand(T0, 1, 2, 0))
        .as("pods exist: the queue shows in the samples")
        .isEmpty();
  }

  @Test
  void anActivatorWithNoSlotOnEveryReadyPodGetsOneMorePod() {
    FunctionScaler scaler = new FunctionScaler(ScalingPolicy.defaults(), SPEC, T0);

    Decision d = scaler.demand(T0, 3, 2, 2).orElseThrow();

    assertThat(d.replicas()).isEqualTo(3);
    assertThat(d.reason())
        .isEqualTo(
            "3 requests wait at an activator with no slot on the 2 ready pods (their hard limit"
                + " went to other activators): scaling to 3");
    assertThat(scaler.demand(T0, 3, 3, 2))
        .as("a third pod is on its way and may be this activator's: nothing more yet")
        .isEmpty();
    assertThat(scaler.demand(T0, 3, 10, 10)).as("scale.max").isEmpty();
  }

  @Test
  void aDemandSignalForALongQueueAsksForWhatTheQueueNeeds() {
    FunctionScaler scaler = new FunctionScaler(ScalingPolicy.defaults(), SPEC, T0);
    assertThat(scaler.demand(T0, 30, 0, 0).orElseThrow().replicas()).isEqualTo(5); // 30 / 7
    assertThat(scaler.demand(T0, 1000, 0, 0).orElseThrow().replicas())
        .as("scale.max")
        .isEqualTo(10);
  }

  @Test
  void withoutAnySampleTheScaleIsHeld() {
    FunctionScaler scaler = new FunctionScaler(ScalingPolicy.defaults(), SPEC, T0);
    Decision d = scaler.decide(T0.plusSeconds(30), 3);
    assertThat(d.replicas()).isEqualTo(3);
    assertThat(d.reason()).contains("no fresh concurrency data (last never)");
  }

  @Test
  void scaleDownIsAtMostHalvingPerDecision() {
    FunctionScaler scaler =
        new FunctionScaler(ScalingPolicy.defaults(), SPEC, T0.minusSeconds(600));
    scaler.record(T0, Load.NONE);
    Decision d = scaler.decide(T0, 8);
    assertThat(d.replicas()).isEqualTo(4);
    assertThat(d.reason()).contains("scale-down rate limits this step to 4");
  }

  @Test
  void aSpecThatCannotHoldIsRefused() {
    assertThatThrownBy(() -> new ScalingSpec(3, 2, 10, Duration.ofSeconds(1)))
        .hasMessageContaining("0 <= min <= max");
    assertThatThrownBy(() -> new ScalingSpec(0, 2, 0, Duration.ofSeconds(1)))
        .hasMessageContaining("target concurrency must be positive");
  }

  @Test
  void aBindingTotalCapIsSharedFairlyAndSaysSo() {
    Map<String, Decision> wanted = new LinkedHashMap<>();
    wanted.put("a", new Decision(10, false, "a wants 10"));
    wanted.put("b", new Decision(2, false, "b wants 2"));
    wanted.put("c", new Decision(10, false, "c wants 10"));

    Map<String, Decision> capped = FleetCaps.apply(wanted, 12);

    assertThat(capped.get("b").replicas()).as("wants less than a share: keeps it").isEqualTo(2);
    assertThat(capped.get("a").replicas()).isEqualTo(5);
    assertThat(capped.get("c").replicas()).isEqualTo(5);
    assertThat(capped.get("a").reason()).contains("total of 12 pods binds: fair share 5 of 10");
    assertThat(capped.values().stream().mapToInt(Decision::replicas).sum()).isEqualTo(12);
    assertThat(FleetCaps.apply(wanted, 100)).isSameAs(wanted);
  }
}
