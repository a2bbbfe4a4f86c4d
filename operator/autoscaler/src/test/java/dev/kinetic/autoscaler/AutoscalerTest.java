package dev.kinetic.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
  private static final ScalingSpec SPEC = new ScalingSpec(0, 10, 10, Duration.ofSeconds(30));

  private final MovableClock clock = new MovableClock();
  private final FakeBackend backend = new FakeBackend();
  private Optional<Map<String, Double>> reported = Optional.of(Map.of());
  private final Autoscaler<String> autoscaler =
      new Autoscaler<>(ScalingPolicy.defaults(), () -> reported, backend, clock, 2);

  @Test
  void decidesOnEveryNthTickAndScalesOnlyWhatChanged() {
    autoscaler.track(Map.of("busy", SPEC, "quiet", new ScalingSpec(1, 10, 10, SPEC.idleTimeout())));
    backend.replicas.put("busy", 1);
    backend.replicas.put("quiet", 1);
    reported = Optional.of(Map.of("busy", 35.0));

    secondPasses();
    assertThat(backend.calls).as("the first tick only samples").isEmpty();
    secondPasses();

    // 35 concurrent at target 10 x 70% utilization: 5 pods.
    assertThat(backend.calls).containsExactly("busy 1->5");
    assertThat(backend.replicas).containsEntry("busy", 5).containsEntry("quiet", 1);
  }

  @Test
  void aDemandAtZeroScalesAtOnceAndIsIgnoredWhenPodsExist() {
    autoscaler.track(Map.of("cold", SPEC));
    backend.replicas.put("cold", 0);

    assertThat(autoscaler.demand("cold", 25, 0)).map(Decision::replicas).contains(4);
    assertThat(backend.calls).containsExactly("cold 0->4");
    assertThat(autoscaler.demand("cold", 25, 0)).isEmpty();
    assertThat(autoscaler.demand("unknown", 1, 0)).isEmpty();
    assertThat(backend.calls).hasSize(1);
  }

  @Test
  void aFunctionWithoutItsDeploymentIsNotScaled() {
    autoscaler.track(Map.of("new", SPEC));
    reported = Optional.of(Map.of("new", 50.0));

    secondPasses();
    secondPasses();

    assertThat(autoscaler.demand("new", 5, 0)).isEmpty();
    assertThat(backend.calls).isEmpty();
  }

  @Test
  void missingStatsNeverScaleDown() {
    autoscaler.track(Map.of("f", SPEC));
    backend.replicas.put("f", 7);
    reported = Optional.of(Map.of("f", 45.0));
    secondPasses();
    secondPasses();
    assertThat(backend.calls).as("45 concurrent need the 7 pods it has").isEmpty();

    reported = Optional.empty();
    for (int i = 0; i < 120; i++) {
      secondPasses();
    }

    assertThat(backend.replicas).containsEntry("f", 7);
    assertThat(backend.calls).isEmpty();
  }

  @Test
  void theTotalCapIsSharedAcrossFunctions() {
    autoscaler.track(Map.of("a", SPEC, "b", SPEC));
    autoscaler.totalCap(OptionalInt.of(4));
    backend.replicas.put("a", 4);
    backend.replicas.put("b", 4);
    reported = Optional.of(Map.of("a", 80.0, "b", 80.0));

    secondPasses();
    secondPasses();

    assertThat(backend.replicas).containsEntry("a", 2).containsEntry("b", 2);
    assertThat(backend.reasons.get("a")).contains("the platform's total of 4 pods binds");
  }

  @Test
  void forgottenFunctionsAreNoLongerScaledAndChangedSpecsApply() {
    autoscaler.track(Map.of("a", SPEC, "b", SPEC));
    autoscaler.track(Map.of("a", new ScalingSpec(3, 10, 10, SPEC.idleTimeout())));
    backend.replicas.put("a", 1);
    backend.replicas.put("b", 0);
    reported = Optional.of(Map.of("b", 90.0));

    secondPasses();
    secondPasses();

    assertThat(autoscaler.tracked()).isEqualTo(1);
    assertThat(backend.calls).containsExactly("a 1->3");
    assertThat(backend.reasons.get("a")).contains("scale.min is 3");
  }

  private void secondPasses() {
    clock.now = clock.now.plusSeconds(1);
    autoscaler.tick();
  }

  private static final class FakeBackend implements ScaleBackend<String> {
    final Map<String, Integer> replicas = new HashMap<>();
    final Map<String, String> reasons = new HashMap<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public OptionalInt currentReplicas(String function) {
      Integer r = replicas.get(function);
      return r == null ? OptionalInt.empty() : OptionalInt.of(r);
    }

    @Override
    public void scale(String function, int from, Decision decision) {
      calls.add(function + " " + from + "->" + decision.replicas());
      replicas.put(function, decision.replicas());
      reasons.put(function, decision.reason());
    }
  }

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
