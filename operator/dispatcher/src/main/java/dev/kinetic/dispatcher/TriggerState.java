package dev.kinetic.dispatcher;

import java.time.Instant;
import java.util.Optional;

/**
 * What the dispatcher knows of one Trigger: the Ready condition and the counts. Immutable; a new
 * one replaces it on each change.
 *
 * @param handledUpTo the latest scheduled time fired or skipped (the status' lastFireTime)
 */
public record TriggerState(
    long generation,
    boolean ready,
    String reason,
    String message,
    Optional<Instant> handledUpTo,
    Optional<Instant> next,
    long fired,
    long delivered,
    long failed,
    long skipped) {

  public static final String SCHEDULED = "Scheduled";

  /** Not scheduled yet: the Ready condition is Unknown. */
  public static final String PENDING = "Pending";

  public static final String FUNCTION_NOT_FOUND = "FunctionNotFound";

  /** The Ready condition's status: True, False, or Unknown while not scheduled yet. */
  public String readyStatus() {
    return ready ? "True" : PENDING.equals(reason) ? "Unknown" : "False";
  }

  /** Not scheduled yet, counting on from these (a previous version's, or the status'). */
  static TriggerState pending(
      long generation, Instant handledUpTo, long fired, long delivered, long failed, long skipped) {
    return new TriggerState(
        generation,
        false,
        PENDING,
        "not scheduled yet",
        Optional.of(handledUpTo),
        Optional.empty(),
        fired,
        delivered,
        failed,
        skipped);
  }

  TriggerState withCondition(boolean ready, String reason, String message) {
    return new TriggerState(
        generation, ready, reason, message, handledUpTo, next, fired, delivered, failed, skipped);
  }

  TriggerState withTimes(Optional<Instant> handledUpTo, Optional<Instant> next) {
    return new TriggerState(
        generation, ready, reason, message, handledUpTo, next, fired, delivered, failed, skipped);
  }

  TriggerState counting(long fired, long delivered, long failed, long skipped) {
    return new TriggerState(
        generation,
        ready,
        reason,
        message,
        handledUpTo,
        next,
        this.fired + fired,
        this.delivered + delivered,
        this.failed + failed,
        this.skipped + skipped);
  }
}
