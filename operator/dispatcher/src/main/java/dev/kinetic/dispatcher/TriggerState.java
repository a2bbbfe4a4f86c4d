package dev.kinetic.dispatcher;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the dispatcher knows of one Trigger: the Ready condition, the times and the counts.
 * Immutable; a new one replaces it on each change.
 *
 * @param handledUpTo the latest scheduled time fired or skipped (the status' lastFireTime)
 * @param lag records of a stream not yet committed, when last measured
 * @param lastSuccess the latest scheduled time whose event the function accepted
 * @param lastFailure the latest event given up on: when, which and why
 */
public record TriggerState(
    long generation,
    boolean ready,
    String reason,
    String message,
    Optional<Instant> handledUpTo,
    Optional<Instant> next,
    TriggerCounts counts,
    OptionalLong lag,
    Optional<Instant> lastSuccess,
    Optional<Failure> lastFailure) {

  /** An event given up on, as the status keeps the latest: when, and which and why. */
  public record Failure(Instant time, String message) {}

  public static final String SCHEDULED = "Scheduled";
  public static final String CONSUMING = "Consuming";

  /**
   * Ready, yet sending nothing: {@code spec.suspend} is true. Ready because nothing is wrong, as a
   * suspended CronJob or a paused KEDA ScaledObject is healthy; the reason tells it apart.
   */
  public static final String SUSPENDED = "Suspended";

  /** Not scheduled yet: the Ready condition is Unknown. */
  public static final String PENDING = "Pending";

  public static final String FUNCTION_NOT_FOUND = "FunctionNotFound";

  /** A schedule still fires, but an event given up on would have nowhere to go. */
  public static final String DEAD_LETTER_FUNCTION_NOT_FOUND = "DeadLetterFunctionNotFound";

  /** The Ready condition's status: True, False, or Unknown while not scheduled yet. */
  public String readyStatus() {
    return ready ? "True" : PENDING.equals(reason) ? "Unknown" : "False";
  }

  /** Not scheduled yet, counting on from these (a previous version's, or the status'). */
  static TriggerState pending(
      long generation,
      Optional<Instant> handledUpTo,
      TriggerCounts counts,
      Optional<Instant> lastSuccess,
      Optional<Failure> lastFailure) {
    return new TriggerState(
        generation,
        false,
        PENDING,
        "not started yet",
        handledUpTo,
        Optional.empty(),
        counts,
        OptionalLong.empty(),
        lastSuccess,
        lastFailure);
  }

  TriggerState withCondition(boolean ready, String reason, String message) {
    return new TriggerState(
        generation,
        ready,
        reason,
        message,
        handledUpTo,
        next,
        counts,
        lag,
        lastSuccess,
        lastFailure);
  }

  /**
   * Ready=False {@link #FUNCTION_NOT_FOUND}: no Function of that name in the Trigger's namespace;
   * {@code meanwhile} says what happens until it exists.
   */
  TriggerState functionNotFound(String function, String namespace, String meanwhile) {
    return withCondition(
        false,
        FUNCTION_NOT_FOUND,
        "no Function " + function + " in namespace " + namespace + meanwhile);
  }

  TriggerState withTimes(Optional<Instant> handledUpTo, Optional<Instant> next) {
    return new TriggerState(
        generation,
        ready,
        reason,
        message,
        handledUpTo,
        next,
        counts,
        lag,
        lastSuccess,
        lastFailure);
  }

  TriggerState withLag(OptionalLong lag) {
    return new TriggerState(
        generation,
        ready,
        reason,
        message,
        handledUpTo,
        next,
        counts,
        lag,
        lastSuccess,
        lastFailure);
  }

  TriggerState counting(TriggerCounts more) {
    return new TriggerState(
        generation,
        ready,
        reason,
        message,
        handledUpTo,
        next,
        counts.plus(more),
        lag,
        lastSuccess,
        lastFailure);
  }

  /** With {@code scheduled} as the last success, unless a later one is recorded already. */
  TriggerState succeeded(Instant scheduled) {
    if (lastSuccess.filter(t -> !t.isBefore(scheduled)).isPresent()) {
      return this;
    }
    return new TriggerState(
        generation,
        ready,
        reason,
        message,
        handledUpTo,
        next,
        counts,
        lag,
        Optional.of(scheduled),
        lastFailure);
  }

  /** With {@code failure} as the last failure, unless a later one is recorded already. */
  TriggerState failed(Failure failure) {
    if (lastFailure.filter(f -> f.time().isAfter(failure.time())).isPresent()) {
      return this;
    }
    return new TriggerState(
        generation,
        ready,
        reason,
        message,
        handledUpTo,
        next,
        counts,
        lag,
        lastSuccess,
        Optional.of(failure));
  }
}
