package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime stops itself when the program that named itself its parent is gone. */
class ParentWatchTest {
  private final StringWriter logged = new StringWriter();
  private final JsonLog log = new JsonLog(logged, Clock.systemUTC());
  private final AtomicInteger exits = new AtomicInteger();
  private Process parent;

  @AfterEach
  void stop() {
    if (parent != null) {
      parent.destroyForcibly();
    }
  }

  @Test
  void whenTheNamedProcessEndsTheRuntimeStopsAndSaysWhy() throws Exception {
    parent = new ProcessBuilder("sleep", "600").start();
    ParentWatch.start(
        Map.of(ParentWatch.VARIABLE, Long.toString(parent.pid())), log, exits::incrementAndGet);
    assertThat(exits.get()).as("the parent still runs").isZero();

    parent.destroyForcibly(); // as kill -9 of local mode
    assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

    await().until(() -> exits.get() == 1);
    assertThat(logged.toString())
        .contains("the program that started this process is gone: stopping")
        .contains("\"pid\":" + parent.pid());
  }

  @Test
  void aNamedProcessAlreadyGoneStopsAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    ParentWatch.start(
        Map.of(ParentWatch.VARIABLE, Long.toString(gone.pid())), log, exits::incrementAndGet);
    assertThat(exits.get()).isEqualTo(1);
  }

  @Test
  void withoutTheVariableNothingIsWatchedAndAMalformedOneIsOnlyWarnedOf() {
    ParentWatch.start(Map.of(), log, exits::incrementAndGet);
    ParentWatch.start(Map.of(ParentWatch.VARIABLE, "one"), log, exits::incrementAndGet);
    assertThat(exits.get()).isZero();
    assertThat(logged.toString()).contains("KINETIC_PARENT_PID is not a process id");
  }
}
