package dev.kinetic.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, for one schedule at one moment, whether a fire is due and whether it goes out: pure,
 * with the time passed in, so daylight saving, late starts and overlaps are table tests.
 *
 * <p>The rules are a CronJob's: only the latest scheduled time not yet handled is considered, so a
 * dispatcher that was down for an hour sends at most one event, never a storm of catch-ups; that
 * one goes out only within the starting deadline of its scheduled time; and under the Forbid policy
 * it is skipped while the previous fire is still being delivered.
 */
public final class FirePlanner {
  private FirePlanner() {}

  public enum Action {
    /** Nothing due: wait for {@link Plan#next()}. */
    WAIT,
    /** Send the event of {@link Plan#scheduled()}. */
    FIRE,
    /** {@link Plan#scheduled()} was found after its starting deadline. */
    SKIP_LATE,
    /** {@link Plan#scheduled()} came while the previous fire was still being delivered (Forbid). */
    SKIP_STILL_RUNNING
  }

  /**
   * @param scheduled the scheduled time acted on (absent for WAIT)
   * @param handledUpTo the new record of what has been handled: a later plan never acts on a
   *     scheduled time at or before it
   * @param next the first scheduled time after now, when to plan again; absent if there is none
   */
  public record Plan(
      Action action, Optional<Instant> scheduled, Instant handledUpTo, Optional<Instant> next) {}

  /**
   * @param handledUpTo the latest scheduled time already fired or skipped, or the Trigger's
   *     creation: nothing at or before it is due
   * @param previousRunning whether the last fire is still being delivered
   */
  public static Plan plan(
      CronSchedule schedule,
      Instant handledUpTo,
      Instant now,
      Duration startingDeadline,
      boolean forbidOverlap,
      boolean previousRunning) {
    Optional<Instant> next = schedule.nextAfter(now.isAfter(handledUpTo) ? now : handledUpTo);
    Optional<Instant> due = schedule.latestAtOrBefore(now).filter(t -> t.isAfter(handledUpTo));
    if (due.isEmpty()) {
      return new Plan(Action.WAIT, Optional.empty(), handledUpTo, next);
    }
    Instant scheduled = due.get();
    Action action;
    if (Duration.between(scheduled, now).compareTo(startingDeadline) > 0) {
      action = Action.SKIP_LATE;
    } else if (forbidOverlap && previousRunning) {
      action = Action.SKIP_STILL_RUNNING;
    } else {
      action = Action.FIRE;
    }
    return new Plan(action, due, scheduled, next);
  }
}
