package dev.kinetic.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.ConcurrencySpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.ScaleSpec;
import dev.kinetic.autoscaler.Decision;
import dev.kinetic.operator.Functions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingSpecsTest {
  @Test
  void defaultsGiveATargetFromTheHardLimitAndNoMaximum() {
    Function f = Functions.withHard(Functions.function("f", "img"), 10);

    var spec = ScalingSpecs.of(f, PlatformLimits.NONE).orElseThrow();

    assertThat(spec.min()).isZero();
    assertThat(spec.max()).isEqualTo(Integer.MAX_VALUE);
    assertThat(spec.target()).isEqualTo(7.0);
    assertThat(spec.window()).isEqualTo(Duration.ofSeconds(60));
    assertThat(spec.utilization()).isEqualTo(0.7);
    assertThat(spec.scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theFunctionsWindowUtilizationAndDelayReachTheAutoscaler() {
    Function f = Functions.function("f", "img");
    f.getSpec().setScale(new ScaleSpec(0, 3));
    f.getSpec().getScale().setWindow("15s");
    f.getSpec().getScale().setTargetUtilization(90);
    f.getSpec().getScale().setScaleDownDelay("2m");

    var spec = ScalingSpecs.of(f, PlatformLimits.NONE).orElseThrow();

    assertThat(spec.window()).isEqualTo(Duration.ofSeconds(15));
    assertThat(spec.utilization()).isEqualTo(0.9);
    assertThat(spec.scaleDownDelay()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void theAdminsMaxReplicasBoundsAFunctionWithoutItsOwnMax() {
    Function f = Functions.function("f", "img");
    f.getSpec().setConcurrency(new ConcurrencySpec(null, 5));

    var spec =
        ScalingSpecs.of(f, PlatformLimits.fromConfigMapData(Map.of("maxReplicas", "8")))
            .orElseThrow();

    assertThat(spec.max()).isEqualTo(8);
    assertThat(spec.target()).isEqualTo(5.0);
  }

  @Test
  void aFunctionOverAPlatformLimitIsNotScaled() {
    Function f = Functions.function("f", "img");
    f.getSpec().setScale(new ScaleSpec(0, 50));

    assertThat(ScalingSpecs.of(f, PlatformLimits.fromConfigMapData(Map.of("maxReplicas", "8"))))
        .isEmpty();
  }

  @Test
  void theScaleEventSaysWhichWayFromWhereToWhereAndWhy() {
    Function f = Functions.function("f", "img");
    Instant at = Instant.parse("2026-01-01T00:00:00.000000123Z");

    var up = ScaleEvents.scaled(f, 0, new Decision(2, false, "2 waiting"), at);
    var down = ScaleEvents.scaled(f, 2, new Decision(1, false, "x".repeat(5000)), at);

    assertThat(up.getReason()).isEqualTo("ScaledUp");
    assertThat(up.getMessage()).isEqualTo("scaled from 0 to 2: 2 waiting");
    assertThat(up.getInvolvedObject().getUid()).isEqualTo("uid-f");
    assertThat(up.getInvolvedObject().getApiVersion()).isEqualTo("kinetic.dev/v1alpha1");
    assertThat(up.getMetadata().getName()).startsWith("f.");
    assertThat(down.getReason()).isEqualTo("ScaledDown");
    assertThat(down.getMessage())
        .hasSize(dev.kinetic.operator.events.FunctionEvents.MAX_MESSAGE)
        .endsWith("...");
  }
}
