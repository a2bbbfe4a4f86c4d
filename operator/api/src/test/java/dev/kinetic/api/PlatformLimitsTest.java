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
        "maxReplica|10|unknown keys [maxReplica]"
      })
  void aTypoNeverLiftsALimit(String key, String value, String message) {
    assertThatThrownBy(() -> PlatformLimits.fromConfigMapData(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
