package dev.kinetic.dispatcher;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One Trigger being run, by schedule or by stream. Used on the dispatcher's thread only. */
interface TriggerRunner {
  void start();

  /** Looks again at what may have changed outside: the Function, a stream's progress. */
  void refresh();

  /** Stops; the future completes once what was delivered is recorded. */
  CompletableFuture<Void> stop();

  TriggerState state();

  /**
   * Counts an event that the previous version of this Trigger finished after it was replaced (an
   * edit, a suspension): the status shows the newest version's counts, so they go there.
   */
  void countLate(
      long delivered,
      long failed,
      long deadLettered,
      Optional<Instant> succeeded,
      Optional<TriggerState.Failure> failure);

  /**
   * {@code state} with these counts added, {@code succeeded} as the last success and {@code
   * failure} as the last failure, each if later.
   */
  static TriggerState counted(
      TriggerState state,
      long delivered,
      long failed,
      long deadLettered,
      Optional<Instant> succeeded,
      Optional<TriggerState.Failure> failure) {
    TriggerState counted = state.counting(TriggerCounts.finished(delivered, failed, deadLettered));
    counted = succeeded.map(counted::succeeded).orElse(counted);
    return failure.map(counted::failed).orElse(counted);
  }
}
