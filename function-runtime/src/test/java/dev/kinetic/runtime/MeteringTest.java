package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeteringTest {
  @ParameterizedTest(name = "{0} ns is billed as {1} ms")
  @CsvSource({
    "0, 1",
    "1, 1",
    "999999, 1",
    "1000000, 1",
    "1000001, 2",
    "250000000, 250",
    "30000000000, 30000",
  })
  void durationIsRoundedUpToTheNextMillisecond(long nanos, long billed) {
    assertThat(Metering.billedMillis(nanos)).isEqualTo(billed);
  }

  @ParameterizedTest(name = "{0} ms at {1} bytes = {2} GB-s")
  @CsvSource({
    "1000, 1073741824, 1.0",
    "250, 536870912, 0.125",
    "100, 134217728, 0.0125",
    "1000, 0, 0.0",
  })
  void gbSecondsAreDurationTimesTheMemoryLimit(long millis, long bytes, double gbSeconds) {
    assertThat(Metering.gbSeconds(millis, bytes)).isCloseTo(gbSeconds, within(1e-12));
  }
}
