package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalConditionTest {
  @ParameterizedTest(name = "desired {0}, ready {1}, crashes {2} ({3} since ready) -> {5} {6}")
  @CsvSource({
    "0, 0, 0, 0,    , True,    ScaledToZero, no process runs",
    "2, 0, 0, 0,    , Unknown, Starting,     waiting for 2 processes to pass their readiness check",
    "2, 1, 0, 0,    , True,    Running,      1 of 2 processes ready",
    "2, 2, 3, 0, 137, True,    Running,      2 of 2 processes ready; 3 crashed and were restarted",
    "1, 0, 1, 1,   1, False,   CrashLoop,    'the process exited 1 time, last with code 1; restarting'",
    "1, 0, 9, 4,    , False,   CrashLoop,    the process exited 4 times; restarting",
    // Crashes long ago, then ready, now starting again: not a crash loop.
    "1, 0, 5, 0,   1, Unknown, Starting,     waiting for 1 processes to pass their readiness check",
  })
  void reportsWhatTheSupervisorCounts(
      int desired,
      int ready,
      int crashes,
      int crashesSinceReady,
      Integer exitCode,
      String status,
      String reason,
      String message) {
    LocalCondition c = LocalCondition.ready(desired, ready, crashes, crashesSinceReady, exitCode);

    assertThat(c.status()).isEqualTo(status);
    assertThat(c.reason()).isEqualTo(reason);
    assertThat(c.message()).startsWith(message);
  }
}
