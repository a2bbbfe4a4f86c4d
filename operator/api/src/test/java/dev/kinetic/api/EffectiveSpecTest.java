package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EffectiveSpecTest {
  private static final PlatformLimits CAPPED =
      PlatformLimits.fromConfigMapData(
          Map.of("maxConcurrency", "50", "maxReplicas", "20", "maxMemory", "1Gi"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "all defaults",
            spec(null, null, null, null, null),
            PlatformLimits.NONE,
            new EffectiveSpec(
                8080,
                30,
                0,
                100,
                0,
                0,
                Optional.empty(),
                0,
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                70,
                Duration.ofSeconds(30),
                OptionalLong.empty(),
                Optional.empty(),
                Placement.NONE,
                Visibility.PUBLIC)),
        Arguments.of(
            "target defaults to 70% of hard",
            spec(10, null, null, null, null),
            PlatformLimits.NONE,
            new EffectiveSpec(
                8080,
                30,
                10,
                7,
                0,
                0,
                Optional.empty(),
                0,
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                70,
                Duration.ofSeconds(30),
                OptionalLong.empty(),
                Optional.empty(),
                Placement.NONE,
                Visibility.PUBLIC)),
        Arguments.of(
            "target is at least 1 for hard = 1",
            spec(1, null, null, null, null),
            PlatformLimits.NONE,
            new EffectiveSpec(
                8080,
                30,
                1,
                1,
                0,
                0,
                Optional.empty(),
                0,
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                70,
                Duration.ofSeconds(30),
                OptionalLong.empty(),
                Optional.empty(),
                Placement.NONE,
                Visibility.PUBLIC)),
        Arguments.of(
            "explicit values win; initial defaults to min",
            spec(10, 5, 2, 8, "5m"),
            PlatformLimits.NONE,
            new EffectiveSpec(
                8080,
                30,
                10,
                5,
                0,
                2,
                Optional.of(8),
                2,
                Duration.ofMinutes(5),
                Duration.ofSeconds(60),
                70,
                Duration.ofSeconds(30),
                OptionalLong.empty(),
                Optional.empty(),
                Placement.NONE,
                Visibility.PUBLIC)),
        Arguments.of(
            "unlimited and open-ended become the admin caps",
            spec(null, null, null, null, null),
            CAPPED,
            new EffectiveSpec(
                8080,
                30,
                50,
                35,
                0,
                0,
                Optional.of(20),
                0,
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                70,
                Duration.ofSeconds(30),
                OptionalLong.of(1024L * 1024 * 1024),
                Optional.empty(),
                Placement.NONE,
                Visibility.PUBLIC)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fillsDefaultsAndCaps(
      String name, FunctionSpec spec, PlatformLimits limits, EffectiveSpec want) {
    assertThat(EffectiveSpec.of(spec, limits)).isEqualTo(want);
  }

  @org.junit.jupiter.api.Test
  void aRequestsPerSecondTargetIsKeptAsWrittenAndNoneIsZero() {
    FunctionSpec spec = spec(10, null, null, null, null);
    assertThat(EffectiveSpec.of(spec, CAPPED).targetRequestsPerSecond()).isZero();
    spec.setScale(new ScaleSpec());
    spec.getScale().setTargetRequestsPerSecond(250);
    EffectiveSpec effective = EffectiveSpec.of(spec, CAPPED);
    assertThat(effective.targetRequestsPerSecond()).isEqualTo(250);
    assertThat(effective.targetConcurrency()).as("the concurrency target stays").isEqualTo(7);
  }

  @org.junit.jupiter.api.Test
  void theWindowIsTheOneWrittenOrSixtySeconds() {
    FunctionSpec spec = spec(null, null, 0, 3, "10s");
    assertThat(EffectiveSpec.of(spec, CAPPED).window()).isEqualTo(Duration.ofSeconds(60));
    spec.getScale().setWindow("1m30s");
    assertThat(EffectiveSpec.of(spec, CAPPED).window()).isEqualTo(Duration.ofSeconds(90));
    assertThat(EffectiveSpec.of(spec, CAPPED).idleTimeout())
        .as("apart from the idle timeout")
        .isEqualTo(Duration.ofSeconds(10));
  }

  @org.junit.jupiter.api.Test
  void theUtilizationAndTheScaleDownDelayAreTheOnesWrittenOrKnativesDefaults() {
    FunctionSpec spec = spec(null, null, 0, 3, null);
    assertThat(EffectiveSpec.of(spec, CAPPED).targetUtilizationPercent()).isEqualTo(70);
    assertThat(EffectiveSpec.of(spec, CAPPED).scaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
    spec.getScale().setTargetUtilization(50);
    spec.getScale().setScaleDownDelay("0s");
    assertThat(EffectiveSpec.of(spec, CAPPED).targetUtilizationPercent()).isEqualTo(50);
    assertThat(EffectiveSpec.of(spec, CAPPED).scaleDownDelay()).isZero();
  }

  @org.junit.jupiter.api.Test
  void usesTheUsersMemoryLimitWhenSet() {
    FunctionSpec spec = spec(null, null, null, null, null);
    spec.setResources(FunctionResources.limits("memory", "256Mi"));
    assertThat(EffectiveSpec.of(spec, CAPPED).memoryLimitBytes()).hasValue(256L * 1024 * 1024);
  }

  @org.junit.jupiter.api.Test
  void checkedNamesTheFirstResourceThatIsNotAQuantityAndOfLeavesTheOthersUnread() {
    FunctionSpec spec = spec(null, null, null, null, null);
    spec.setResources(
        new FunctionResources(
            Map.of("memory", new io.fabric8.kubernetes.api.model.IntOrString("256Mi")),
            Map.of("cpu", new io.fabric8.kubernetes.api.model.IntOrString("lots"))));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EffectiveSpec.checked(spec, CAPPED))
        .hasMessage(
            "spec.resources.requests.cpu: 'lots' is not a quantity; write a number or one such as"
                + " 256Mi, 1Gi or 500m");
    assertThat(EffectiveSpec.of(spec, CAPPED).memoryLimitBytes()).hasValue(256L * 1024 * 1024);
  }

  @org.junit.jupiter.api.Test
  void checkedNamesAnEmptyDirSizeThatIsNotAQuantityByItsVolume() {
    FunctionSpec spec = spec(null, null, null, null, null);
    spec.setVolumes(List.of(FunctionVolume.ofEmptyDir("cache", "/var/cache/app", "a lot")));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EffectiveSpec.checked(spec, CAPPED))
        .hasMessage(
            "spec.volumes[cache].emptyDir.sizeLimit: 'a lot' is not a quantity; write a number or"
                + " one such as 256Mi, 1Gi or 500m");
    spec.setVolumes(List.of(FunctionVolume.ofEmptyDir("cache", "/var/cache/app", "256Mi")));
    assertThat(EffectiveSpec.checked(spec, CAPPED)).isNotNull();
  }

  static FunctionSpec spec(
      Integer hard, Integer target, Integer min, Integer max, String idleTimeout) {
    FunctionSpec spec = new FunctionSpec();
    spec.setImage("example.com/hello:1");
    if (hard != null || target != null) {
      spec.setConcurrency(new ConcurrencySpec(hard, target));
    }
    if (min != null || max != null || idleTimeout != null) {
      ScaleSpec scale = new ScaleSpec(min, max);
      scale.setIdleTimeout(idleTimeout);
      spec.setScale(scale);
    }
    return spec;
  }
}
