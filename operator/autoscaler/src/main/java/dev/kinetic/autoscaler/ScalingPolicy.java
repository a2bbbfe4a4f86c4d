package dev.kinetic.autoscaler;

import java.time.Duration;

/**
 * Platform-wide settings of the decision (Knative's KPA defaults). The stable window, the target
 * utilization and the scale-down delay are each function's own ({@link ScalingSpec}).
 *
 * @param panicWindow the short window a burst is seen in (6 s), or the function's window when that
 *     is shorter
 * @param panicThreshold panic when panic-window demand reaches this multiple of capacity (2.0)
 * @param maxScaleUpRate at most this many times the current pods per decision (1000)
 * @param maxScaleDownRate at least current pods divided by this per decision (2)
 * @param staleAfter concurrency data older than this is missing data: hold the scale (5 s)
 */
public record ScalingPolicy(
    Duration panicWindow,
    double panicThreshold,
    double maxScaleUpRate,
    double maxScaleDownRate,
    Duration staleAfter) {

  public static ScalingPolicy defaults() {
    return new ScalingPolicy(Duration.ofSeconds(6), 2.0, 1000, 2, Duration.ofSeconds(5));
  }
}
