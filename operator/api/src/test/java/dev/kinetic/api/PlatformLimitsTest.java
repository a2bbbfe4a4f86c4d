package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformLimitsTest {
  @Test
  void readsEveryKey() {
    PlatformLimits limits =
        PlatformLimits.fromConfigMapData(
            Map.of(
                "maxConcurrency", "100",
                "maxReplicas", "10",
                "maxTotalReplicas", "200",
                "maxTimeoutSeconds", "300",
                "maxMemory", "2Gi"));
    assertThat(limits.maxConcurrency()).hasValue(100);
    assertThat(limits.maxReplicas()).hasValue(10);
    assertThat(limits.maxTotalReplicas()).hasValue(200);
    assertThat(limits.maxTimeoutSeconds()).hasValue(300);
    assertThat(limits.maxMemoryBytes()).hasValue(2L * 1024 * 1024 * 1024);
  }

  @Test
  void theDefaultVisibilityIsTheAdminsWhereAFunctionSaysNone() {
    PlatformLimits inside =
        PlatformLimits.fromConfigMapData(Map.of("functionVisibility", "ClusterLocal"));
    assertThat(inside.visibility()).isEqualTo(Visibility.CLUSTER_LOCAL);
    assertThat(PlatformLimits.NONE.visibility()).isEqualTo(Visibility.PUBLIC);

    FunctionSpec silent = new FunctionSpec();
    silent.setImage("example.com/hello:1");
    assertThat(EffectiveSpec.of(silent, inside).visibility()).isEqualTo(Visibility.CLUSTER_LOCAL);
    assertThat(EffectiveSpec.of(silent, PlatformLimits.NONE).visibility())
        .isEqualTo(Visibility.PUBLIC);

    // A Function that says it is Public is: the admin's is a default, not a ban.
    FunctionSpec open = new FunctionSpec();
    open.setImage("example.com/hello:1");
    open.setVisibility(Visibility.PUBLIC);
    assertThat(EffectiveSpec.of(open, inside).visibility()).isEqualTo(Visibility.PUBLIC);
  }

  @Test
  void emptyMeansNoLimits() {
    assertThat(PlatformLimits.fromConfigMapData(Map.of())).isEqualTo(PlatformLimits.NONE);
    assertThat(PlatformLimits.fromConfigMapData(null)).isEqualTo(PlatformLimits.NONE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "maxReplicas|0|maxReplicas must be a positive whole number, got '0'",
        "maxReplicas|ten|maxReplicas must be a positive whole number, got 'ten'",
        "maxConcurrency|-5|maxConcurrency must be a positive whole number, got '-5'",
        "maxMemory|lots|maxMemory must be a memory quantity such as 2Gi, got 'lots'",
        "maxReplica|10|unknown keys [maxReplica]",
        "functionVisibility|clusterlocal|functionVisibility must be Public or ClusterLocal, got"
            + " 'clusterlocal'"
      })
  void aTypoNeverLiftsALimit(String key, String value, String message) {
    assertThatThrownBy(() -> PlatformLimits.fromConfigMapData(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
