package dev.kinetic.activator;

import static dev.kinetic.activator.ExchangeState.ADMITTING;
import static dev.kinetic.activator.ExchangeState.ANSWERING;
import static dev.kinetic.activator.ExchangeState.CONNECTING;
import static dev.kinetic.activator.ExchangeState.ENDED;
import static dev.kinetic.activator.ExchangeState.FORWARDED;
import static dev.kinetic.activator.ExchangeState.QUEUED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request's lifecycle in the activator: exactly these transitions, no others. */
class ExchangeStateTest {
  private static final Map<ExchangeState, Set<ExchangeState>> ALLOWED =
      Map.of(
          ADMITTING, EnumSet.of(QUEUED, CONNECTING, ENDED),
          QUEUED, EnumSet.of(CONNECTING, ENDED),
          CONNECTING, EnumSet.of(ADMITTING, FORWARDED, ENDED),
          // Once more on a new connection: a kept one closed before any answer
          // (KeptConnectionTest).
          FORWARDED, EnumSet.of(ANSWERING, CONNECTING, ENDED),
          ANSWERING, EnumSet.of(ENDED),
          ENDED, EnumSet.noneOf(ExchangeState.class));

  @Test
  void everyStateAllowsExactlyItsTransitions() {
    for (ExchangeState from : ExchangeState.values()) {
      for (ExchangeState to : ExchangeState.values()) {
        assertThat(from.mayBecome(to))
            .as(from + " -> " + to)
            .isEqualTo(ALLOWED.get(from).contains(to));
      }
    }
  }

  @Test
  void everyStateButEndedCanEndAndNothingLeavesEnded() {
    for (ExchangeState state : ExchangeState.values()) {
      assertThat(state.mayBecome(ENDED)).as(state.name()).isEqualTo(state != ENDED);
      assertThat(ENDED.mayBecome(state)).isFalse();
    }
  }

  @Test
  void noWayBackOnceThePodsAnswerBegan() {
    assertThat(ANSWERING.mayBecome(FORWARDED)).isFalse();
    assertThat(ANSWERING.mayBecome(ADMITTING)).as("no retry after bytes went out").isFalse();
    assertThat(FORWARDED.mayBecome(ADMITTING))
        .as("once the request went, only its own slot's pod again, not the gate")
        .isFalse();
  }
}
