package dev.kinetic.dispatcher;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Trigger's source that runs by itself, such as a consumer of Kafka topics, where a schedule is
 * fired by the dispatcher. It delivers on its own threads; the dispatcher only reads its progress
 * and stops it.
 */
public interface EventStream extends AutoCloseable {
  /**
   * Counts since it started, and how it is doing.
   *
   * @param failed given up on, the dead-lettered among them
   * @param lag records not yet committed, when last measured
   * @param problem why it is not consuming (a reason and message for the Ready condition)
   * @param stopped it stopped by itself (a fatal client error): the dispatcher starts a new one
   * @param lastGivenUp the last record given up on, and why (for the Trigger's Events)
   */
  record Progress(
      long delivered,
      long failed,
      long deadLettered,
      OptionalLong lag,
      Optional<TriggerProblem> problem,
      boolean stopped,
      Optional<String> lastGivenUp) {
    public Progress(
        long delivered,
        long failed,
        long deadLettered,
        OptionalLong lag,
        Optional<TriggerProblem> problem,
        boolean stopped) {
      this(delivered, failed, deadLettered, lag, problem, stopped, Optional.empty());
    }
  }

  /** Where it stands; cheap, called on the dispatcher's thread. */
  Progress progress();

  /** What it consumes, for the Ready condition's message. */
  String describe();

  /** Stops consuming; what was delivered is recorded first (committed), the rest comes again. */
  @Override
  void close();
}
