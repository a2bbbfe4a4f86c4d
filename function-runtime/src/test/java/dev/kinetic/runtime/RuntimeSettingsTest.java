package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeSettingsTest {
  @Test
  void defaultsMatchTheFunctionApi() {
    RuntimeSettings s = RuntimeSettings.fromEnv(Map.of());
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.hardConcurrency()).isZero();
    assertThat(s.concurrencyLimit()).isEqualTo(RuntimeSettings.DEFAULT_MAX_IN_FLIGHT);
    assertThat(s.functionClass()).isEmpty();
  }

  @Test
  void readsWhatTheOperatorSets() {
    RuntimeSettings s =
        RuntimeSettings.fromEnv(
            Map.of(
                "KINETIC_FUNCTION", "orders",
                "PORT", "9000",
                "KINETIC_TIMEOUT_SECONDS", "5",
                "KINETIC_CONCURRENCY_HARD", "10",
                "KINETIC_MEMORY_LIMIT_BYTES", "134217728",
                "KINETIC_FUNCTION_CLASS", "com.example.Orders"));
    assertThat(s.functionName()).isEqualTo("orders");
    assertThat(s.port()).isEqualTo(9000);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.concurrencyLimit()).isEqualTo(10);
    assertThat(s.memoryLimitBytes()).isEqualTo(134217728L);
    assertThat(s.functionClass()).hasValue("com.example.Orders");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "PORT | eighty | PORT must be a whole number, got 'eighty'",
        "PORT | 70000 | PORT must be between 0 and 65535, got 70000",
        "KINETIC_TIMEOUT_SECONDS | 0 | KINETIC_TIMEOUT_SECONDS must be between 1 and 3600, got 0",
        "KINETIC_CONCURRENCY_HARD | -1 | KINETIC_CONCURRENCY_HARD must be between 0 and 100000, got -1",
        "KINETIC_MAX_HEADER_BYTES | 10 | KINETIC_MAX_HEADER_BYTES must be between 1024 and 1048576, got 10",
      })
  void aBadValueIsAnErrorThatNamesTheVariable(String name, String value, String message) {
    assertThatThrownBy(() -> RuntimeSettings.fromEnv(Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
