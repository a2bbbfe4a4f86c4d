package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LimitCheckTest {
  private static final PlatformLimits LIMITS =
      PlatformLimits.fromConfigMapData(
          Map.of(
              "maxConcurrency", "100",
              "maxReplicas", "10",
              "maxTimeoutSeconds", "60",
              "maxMemory", "512Mi"));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("within every limit", spec(100, 10, 60, "512Mi"), List.of()),
        Arguments.of("nothing set", new FunctionSpec(), List.of()),
        Arguments.of(
            "hard concurrency",
            spec(101, null, null, null),
            List.of("spec.concurrency.hard is 101, above the platform limit of 100")),
        Arguments.of(
            "max scale",
            spec(null, 11, null, null),
            List.of("spec.scale.max is 11, above the platform limit of 10")),
        Arguments.of(
            "timeout",
            spec(null, null, 61, null),
            List.of("spec.timeoutSeconds is 61, above the platform limit of 60")),
        Arguments.of(
            "memory",
            spec(null, null, null, "1Gi"),
            List.of(
                "spec.resources.limits.memory is 1Gi, above the platform limit of 536870912 bytes")),
        Arguments.of(
            "several at once, in spec order",
            spec(200, 20, null, null),
            List.of(
                "spec.concurrency.hard is 200, above the platform limit of 100",
                "spec.scale.max is 20, above the platform limit of 10")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsEachFieldAboveItsLimit(String name, FunctionSpec spec, List<String> messages) {
    assertThat(LimitCheck.violations(spec, LIMITS))
        .extracting(LimitViolation::message)
        .containsExactlyElementsOf(messages);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void noLimitsMeansNoViolations(String name, FunctionSpec spec, List<String> ignored) {
    assertThat(LimitCheck.violations(spec, PlatformLimits.NONE)).isEmpty();
  }

  static FunctionSpec spec(Integer hard, Integer max, Integer timeout, String memory) {
    FunctionSpec spec = new FunctionSpec();
    spec.setImage("example.com/hello:1");
    if (hard != null) {
      spec.setConcurrency(new ConcurrencySpec(hard, null));
    }
    if (max != null) {
      spec.setScale(new ScaleSpec(null, max));
    }
    spec.setTimeoutSeconds(timeout);
    if (memory != null) {
      spec.setResources(FunctionResources.limits("memory", memory));
    }
    return spec;
  }
}
