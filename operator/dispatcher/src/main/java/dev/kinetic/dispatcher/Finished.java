package dev.kinetic.dispatcher;

import java.time.Instant;
import java.util.Optional;

/**
 * What became of events that ended, as a Trigger's status records it: counts to add, and the last
 * success and the last failure among them. Made where an event ends, and added to the state of
 * whichever version of the Trigger is the newest by then.
 *
 * @param succeeded the scheduled time of a delivered event
 */
record Finished(
    TriggerCounts counts, Optional<Instant> succeeded, Optional<TriggerState.Failure> failure) {

  /** An event the function took. */
  static Finished delivered(Instant scheduled) {
    return new Finished(TriggerCounts.finished(1, 0, 0), Optional.of(scheduled), Optional.empty());
  }

  /** A dead letter the dead-letter Function took (its event was counted failed already). */
  static Finished deadLettered() {
    return new Finished(TriggerCounts.finished(0, 0, 1), Optional.empty(), Optional.empty());
  }

  /** An event given up on. */
  static Finished failed(TriggerState.Failure failure) {
    return new Finished(TriggerCounts.finished(0, 1, 0), Optional.empty(), Optional.of(failure));
  }

  /** A dead letter given up on: only the failure is new (its event was counted failed already). */
  static Finished deadLetterFailed(TriggerState.Failure failure) {
    return new Finished(TriggerCounts.NONE, Optional.empty(), Optional.of(failure));
  }

  /**
   * {@code state} with these counts added, the success and the failure each recorded if later than
   * the one it has.
   */
  TriggerState addedTo(TriggerState state) {
    TriggerState counted = state.counting(counts);
    counted = succeeded.map(counted::succeeded).orElse(counted);
    return failure.map(counted::failed).orElse(counted);
  }
}
