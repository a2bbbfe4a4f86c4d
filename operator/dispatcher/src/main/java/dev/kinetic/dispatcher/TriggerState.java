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
 */
public record TriggerState(
    long generation,
    Readiness readiness,
    Optional<Instant> handledUpTo,
    Optional<Instant> next,
    OptionalLong lag,
    Outcomes outcomes) {

  /** An event given up on, as the status keeps the latest: when, and which and why. */
  public record Failure(Instant time, String message) {}

  /** The Ready condition. */
  public record Readiness(boolean ready, String reason, String message) {}

  /**
   * What became of the Trigger's events so far.
   *
   * @param lastSuccess the latest scheduled time whose event the function accepted
   * @param lastFailure the latest event given up on: when, which and why
   */
  public record Outcomes(
      TriggerCounts counts, Optional<Instant> lastSuccess, Optional<Failure> lastFailure) {
    public static final Outcomes NONE =
        new Outcomes(TriggerCounts.NONE, Optional.empty(), Optional.empty());

    Outcomes counting(TriggerCounts more) {
      return new Outcomes(counts.plus(more), lastSuccess, lastFailure);
    }

    /** With {@code scheduled} as the last success, unless a later one is recorded already. */
    Outcomes succeeded(Instant scheduled) {
      return lastSuccess.filter(t -> !t.isBefore(scheduled)).isPresent()
          ? this
          : new Outcomes(counts, Optional.of(scheduled), lastFailure);
    }

    /** With {@code failure} as the last failure, unless a later one is recorded already. */
    Outcomes failed(Failure failure) {
      return lastFailure.filter(f -> f.time().isAfter(failure.time())).isPresent()
          ? this
          : new Outcomes(counts, lastSuccess, Optional.of(failure));
    }
  }

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
    return ready() ? "True" : PENDING.equals(reason()) ? "Unknown" : "False";
  }

  public boolean ready() {
    return readiness.ready();
  }

  public String reason() {
    return readiness.reason();
  }

  public String message() {
    return readiness.message();
  }

  public TriggerCounts counts() {
    return outcomes.counts();
  }

  public Optional<Instant> lastSuccess() {
    return outcomes.lastSuccess();
  }

  public Optional<Failure> lastFailure() {
    return outcomes.lastFailure();
  }

  /** Not scheduled yet, counting on from these (a previous version's, or the status'). */
  static TriggerState pending(long generation, Optional<Instant> handledUpTo, Outcomes outcomes) {
    return new TriggerState(
        generation,
        new Readiness(false, PENDING, "not started yet"),
        handledUpTo,
        Optional.empty(),
        OptionalLong.empty(),
        outcomes);
  }

  TriggerState withCondition(boolean ready, String reason, String message) {
    return new TriggerState(
        generation, new Readiness(ready, reason, message), handledUpTo, next, lag, outcomes);
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
    return new TriggerState(generation, readiness, handledUpTo, next, lag, outcomes);
  }

  TriggerState withLag(OptionalLong lag) {
    return new TriggerState(generation, readiness, handledUpTo, next, lag, outcomes);
  }

  TriggerState counting(TriggerCounts more) {
    return withOutcomes(outcomes.counting(more));
  }

  /** With {@code scheduled} as the last success, unless a later one is recorded already. */
  TriggerState succeeded(Instant scheduled) {
    return withOutcomes(outcomes.succeeded(scheduled));
  }

  /** With {@code failure} as the last failure, unless a later one is recorded already. */
  TriggerState failed(Failure failure) {
    return withOutcomes(outcomes.failed(failure));
  }

  private TriggerState withOutcomes(Outcomes outcomes) {
    return new TriggerState(generation, readiness, handledUpTo, next, lag, outcomes);
  }
}
