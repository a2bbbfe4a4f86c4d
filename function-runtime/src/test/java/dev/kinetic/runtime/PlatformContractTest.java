package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Placement;
import dev.kinetic.api.RuntimeEnvironment;
import dev.kinetic.api.Visibility;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What the platform sets (the operator's Deployment and local mode both use {@link
 * RuntimeEnvironment}) is what the runtime reads: every variable, with its value.
 */
class PlatformContractTest {
  private static EffectiveSpec spec(OptionalLong memory) {
    return new EffectiveSpec(
        9000,
        42,
        7,
        5,
        0,
        0,
        Optional.of(3),
        0,
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        70,
        Duration.ofSeconds(30),
        memory,
        Optional.empty(),
        Placement.NONE,
        Visibility.PUBLIC);
  }

  @Test
  void theRuntimeReadsEveryVariableThePlatformSets() {
    RuntimeEnvironment platform =
        new RuntimeEnvironment("hello", "team-a", spec(OptionalLong.of(134_217_728)));

    RuntimeSettings read = RuntimeSettings.fromEnv(platform.variables());

    assertThat(read.port()).isEqualTo(9000);
    assertThat(read.functionName()).isEqualTo("hello");
    assertThat(read.namespace()).isEqualTo("team-a");
    assertThat(read.timeout()).isEqualTo(Duration.ofSeconds(42));
    assertThat(read.hardConcurrency()).isEqualTo(7);
    assertThat(read.memoryLimitBytes()).isEqualTo(134_217_728);
    assertThat(read.metricsPort()).isEqualTo(9090);
  }

  @Test
  void withoutAMemoryLimitNoneIsSetAndLocalModeChoosesThePort() {
    RuntimeEnvironment platform =
        new RuntimeEnvironment("hello", "team-a", spec(OptionalLong.empty()));

    assertThat(platform.variables(31_000))
        .containsEntry("PORT", "31000")
        .doesNotContainKey(RuntimeEnvironment.MEMORY_LIMIT_BYTES);
    assertThat(RuntimeSettings.fromEnv(platform.variables(31_000)).memoryLimitBytes()).isZero();
  }
}
