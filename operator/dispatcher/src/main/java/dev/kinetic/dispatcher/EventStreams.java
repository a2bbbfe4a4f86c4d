package dev.kinetic.dispatcher;

import dev.kinetic.api.Trigger;

/** Starts the stream of a Trigger whose source is not a schedule. */
public interface EventStreams {
  /**
   * @param maxInFlight events of this stream being delivered at once, at most
   * @param observer told of each delivery, retry and failure (the metrics), from any thread
   * @throws TriggerProblem when the spec or what it refers to (a Secret) does not allow starting;
   *     the dispatcher reports it and tries again later
   */
  EventStream start(
      TriggerRef ref,
      Trigger trigger,
      DeliveryPolicy policy,
      int maxInFlight,
      DeliveryObserver observer);

  /** Where no stream can be started: a Trigger with such a source is reported, not run. */
  EventStreams NONE =
      (ref, trigger, policy, maxInFlight, observer) -> {
        throw new TriggerProblem(
            TriggerProblem.UNSUPPORTED_SOURCE, "this dispatcher runs schedules only");
      };
}
