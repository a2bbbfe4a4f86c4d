package dev.kinetic.autoscaler;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The steps of one scaling decision after the windows are read, each a pure function of its inputs
 * and the step before it, in the order {@link FunctionScaler#decide} applies them: what the windows
 * want, the scale-down delay, the rate limits, zero only after the idle timeout, and the spec's
 * bounds. Each step says in the reason what it changed.
 */
final class ScalingSteps {
  private ScalingSteps() {}

  /** A pod count on its way to a decision, and why. */
  record Step(int desired, String why) {
    Step and(int next, String because) {
      return new Step(next, why + "; " + because);
    }
  }

  /** What a pair of windows measures, with the unit the reasons print. */
  enum Metric {
    CONCURRENCY("concurrent"),
    REQUESTS_PER_SECOND("requests/s");

    final String unit;

    Metric(String unit) {
      this.unit = unit;
    }
  }

  /**
   * The demand of one metric in the windows, as pods of {@code target x utilization}: its average
   * over the stable window and over the panic window.
   */
  record Windows(Metric metric, double stable, double panic, double target, double utilization) {
    double perPod() {
      return target * utilization;
    }

    int stablePods() {
      return (int) Math.ceil(stable / perPod());
    }

    int panicPods() {
      return (int) Math.ceil(panic / perPod());
    }
  }

  /** How long the stable and panic windows are, for the reasons. */
  record WindowLengths(Duration stable, Duration panic) {}

  /** A burst: a panic window wants at least {@code threshold} times the pods there are. */
  static boolean burst(List<Windows> windows, int current, double threshold) {
    if (current == 0) {
      return false;
    }
    for (Windows w : windows) {
      if (w.panicPods() >= threshold * current) {
        return true;
      }
    }
    return false;
  }

  /**
   * What the metric that asks for the most pods wants (concurrency on a tie), as a pod count
   * bounded by demand alone: requests per second cannot see a function that got slower, concurrency
   * cannot see a fast one that runs out of CPU, so with both targets set neither may leave pods
   * short.
   */
  static Step wanted(List<Windows> windows, boolean panic, int current, WindowLengths lengths) {
    Windows most = windows.get(0);
    for (Windows w : windows) {
      // Only the chosen one's reason is written: formatting is most of a decision's cost.
      if (pods(w, panic, current) > pods(most, panic, current)) {
        most = w;
      }
    }
    return wanted(most, panic, current, lengths);
  }

  /**
   * In panic, the panic window's count and never fewer pods than now; otherwise the stable window's
   * count.
   */
  static Step wanted(Windows windows, boolean panic, int current, WindowLengths lengths) {
    if (panic) {
      return new Step(
          pods(windows, panic, current),
          String.format(
              Locale.ROOT,
              "panic: %.1f %s over %d s for %d pods of target %.1f",
              windows.panic(),
              windows.metric().unit,
              lengths.panic().toSeconds(),
              current,
              windows.target()));
    }
    return new Step(
        pods(windows, panic, current),
        String.format(
            Locale.ROOT,
            "%.1f %s over %d s at target %.1f x %.0f%% utilization",
            windows.stable(),
            windows.metric().unit,
            lengths.stable().toSeconds(),
            windows.target(),
            windows.utilization() * 100));
  }

  private static int pods(Windows windows, boolean panic, int current) {
    return panic ? Math.max(current, windows.panicPods()) : windows.stablePods();
  }

  /**
   * Down only to the most wanted within the scale-down delay ({@code recentMax}), so demand at a
   * pod boundary does not make pods come and go. Not on the way to zero once idle long enough: the
   * idle timeout is the user's word on when to reach zero, and the delay does not extend it.
   */
  static Step scaleDownDelay(
      Step step, int current, int recentMax, boolean idleLongEnough, Duration delay) {
    if (step.desired() >= current || (step.desired() == 0 && idleLongEnough)) {
      return step;
    }
    if (recentMax <= step.desired()) {
      return step;
    }
    int held = Math.min(current, recentMax);
    return step.and(
        held, "holding " + held + " wanted within the last " + delay.toSeconds() + " s");
  }

  /**
   * At most {@code maxScaleUpRate} times the pods (of at least one) up, a {@code
   * maxScaleDownRate}th down.
   */
  static Step rateLimits(Step step, int current, ScalingPolicy policy) {
    if (step.desired() > current) {
      int cap = (int) Math.ceil(Math.max(1, current) * policy.maxScaleUpRate());
      return step.desired() > cap
          ? step.and(cap, "scale-up rate limits this step to " + cap)
          : step;
    }
    if (step.desired() < current) {
      int floor = (int) Math.floor(current / policy.maxScaleDownRate());
      return step.desired() < floor
          ? step.and(floor, "scale-down rate limits this step to " + floor)
          : step;
    }
    return step;
  }

  /**
   * From pods to zero only once the function has been idle for its idle timeout; else one stays.
   */
  static Step zeroWhenIdle(Step step, int current, Duration idle, Duration idleTimeout) {
    if (step.desired() != 0 || current == 0) {
      return step;
    }
    if (idle.compareTo(idleTimeout) < 0) {
      return step.and(
          1, "idle " + idle.toSeconds() + " s of " + idleTimeout.toSeconds() + " s: keeping 1");
    }
    return step.and(0, "idle for " + idle.toSeconds() + " s: scaling to zero");
  }

  /** Within the spec's {@code scale.min} and {@code scale.max}. */
  static Step bounds(Step step, int min, int max) {
    int bounded = Math.max(min, Math.min(max, step.desired()));
    if (bounded == step.desired()) {
      return step;
    }
    return step.and(
        bounded, bounded > step.desired() ? "scale.min is " + min : "scale.max is " + max);
  }
}
