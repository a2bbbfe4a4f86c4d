package dev.kinetic.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.operator.autoscale.Leadership;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LostLeaseTest {
  private final Leadership leadership = new Leadership();
  private final List<Integer> exits = new ArrayList<>();

  @Test
  void aLeaseLostWhileRunningEndsTheProcessWithAFailure() {
    leadership.started();

    new LostLease(leadership, () -> false, exits::add).run();

    assertThat(leadership.leading()).isFalse();
    assertThat(exits).containsExactly(1);
  }

  @Test
  void aLeaseReleasedDuringShutdownDoesNotExitFromTheShutdown() {
    leadership.started();

    new LostLease(leadership, () -> true, exits::add).run();

    assertThat(leadership.leading()).as("no more scaling").isFalse();
    assertThat(exits).as("System.exit inside a shutdown hook would block forever").isEmpty();
  }

  @Test
  void aRunningJvmIsNotShuttingDown() {
    assertThat(LostLease.jvmShuttingDown()).isFalse();
  }
}
