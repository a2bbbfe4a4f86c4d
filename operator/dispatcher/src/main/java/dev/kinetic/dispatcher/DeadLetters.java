package dev.kinetic.dispatcher;

import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.Trigger;
import java.util.Optional;

/** A schedule's dead-letter Function: which one, and what its absence makes of the condition. */
final class DeadLetters {
  private DeadLetters() {}

  static Optional<String> function(Trigger trigger) {
    return Optional.ofNullable(trigger.getSpec().getDelivery())
        .map(DeliverySpec::getDeadLetterFunction);
  }

  /**
   * {@code state} with Ready=False {@link TriggerState#DEAD_LETTER_FUNCTION_NOT_FOUND} if the
   * Trigger names a dead-letter Function that is not in its namespace; empty otherwise. A schedule
   * still fires then: only what it gives up on has nowhere to go.
   */
  static Optional<TriggerState> missing(
      TriggerState state, TriggerRef ref, Trigger trigger, FunctionDirectory functions) {
    return function(trigger)
        .filter(f -> functions.find(ref.namespace(), f).isEmpty())
        .map(
            f ->
                state.withCondition(
                    false,
                    TriggerState.DEAD_LETTER_FUNCTION_NOT_FOUND,
                    "no Function "
                        + f
                        + " in namespace "
                        + ref.namespace()
                        + " for delivery.deadLetterFunction: events are still sent, but one given"
                        + " up on is dropped until it exists"));
  }
}
