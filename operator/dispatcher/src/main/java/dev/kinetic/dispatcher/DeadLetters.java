package dev.kinetic.dispatcher;

import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.Optional;

/**
 * A Trigger's dead-letter Function: which one, the event it is sent, and what its absence makes of
 * the Ready condition.
 */
public final class DeadLetters {
  /** Extension attribute of a dead letter: why its Function did not take it. */
  public static final String ERROR = "kineticerror";

  /** Extension attribute of a dead letter: the Function that did not take it. */
  public static final String ERROR_FUNCTION = "kineticerrorfunction";

  private DeadLetters() {}

  /**
   * The event as it was (id, time, source, data), with why and from which Function, as Knative's
   * dead-letter sinks receive {@code knativeerror*} extensions.
   */
  public static CloudEvent event(CloudEvent event, String function, String why) {
    return CloudEventBuilder.v1(event)
        .withExtension(ERROR, why)
        .withExtension(ERROR_FUNCTION, function)
        .build();
  }

  public static Optional<String> function(Trigger trigger) {
    return Optional.ofNullable(trigger.getSpec().getDelivery())
        .map(DeliverySpec::getDeadLetterFunction);
  }

  /**
   * {@code state} with Ready=False {@link TriggerState#DEAD_LETTER_FUNCTION_NOT_FOUND} if the
   * Trigger names a dead-letter Function that is not in its namespace; empty otherwise. The Trigger
   * still delivers then: only what it gives up on has nowhere to go.
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
