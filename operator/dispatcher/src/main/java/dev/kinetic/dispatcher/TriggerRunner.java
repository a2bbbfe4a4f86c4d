package dev.kinetic.dispatcher;

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
  void countLate(Finished finished);
}
