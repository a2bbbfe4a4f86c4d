package dev.kinetic.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.operator.autoscale.Leadership;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LostLeaseTest {
  private final Leadership leadership = new Leadership();
  private final List<Integer> exits = new ArrayList<>();
  private final List<String> releases = new ArrayList<>();
  private final Runnable release = () -> releases.add("released");

  @Test
  void aLeaseLostWhileRunningEndsTheProcessWithAFailure() {
    leadership.started();

    new LostLease(leadership, () -> false, exits::add, release).run();

    assertThat(leadership.leading()).isFalse();
    assertThat(exits).containsExactly(1);
    assertThat(releases).as("it is not ours any more").isEmpty();
  }

  @Test
  void aShutdownGivesTheLeaseUpAndDoesNotExitFromInsideItself() {
    leadership.started();

    new LostLease(leadership, () -> true, exits::add, release).run();

    assertThat(leadership.leading()).as("no more scaling").isFalse();
    assertThat(exits).as("System.exit inside a shutdown hook would block forever").isEmpty();
    assertThat(releases).as("a standby need not wait for it to expire").containsExactly("released");
  }

  @Test
  void aRunningJvmIsNotShuttingDown() {
    assertThat(LostLease.jvmShuttingDown()).isFalse();
  }
}
