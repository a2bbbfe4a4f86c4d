package dev.kinetic.autoscaler;

import java.time.Duration;

/**
 * Platform-wide settings of the decision (Knative's KPA defaults). The stable window is each
 * function's own ({@link ScalingSpec#window()}).
 *
 * @param panicWindow the short window a burst is seen in (6 s), or the function's window when that
 *     is shorter
 * @param utilization the share of the target to aim for, so pods keep headroom (0.7)
 * @param panicThreshold panic when panic-window demand reaches this multiple of capacity (2.0)
 * @param maxScaleUpRate at most this many times the current pods per decision (1000)
 * @param maxScaleDownRate at least current pods divided by this per decision (2)
 * @param scaleDownDelay scale down only to the highest count wanted over this long (30 s), so
 *     demand hovering at a pod boundary does not make pods come and go
 * @param staleAfter concurrency data older than this is missing data: hold the scale (5 s)
 */
public record ScalingPolicy(
    Duration panicWindow,
    double utilization,
    double panicThreshold,
    double maxScaleUpRate,
    double maxScaleDownRate,
    Duration scaleDownDelay,
    Duration staleAfter) {

  public static ScalingPolicy defaults() {
    return new ScalingPolicy(
        Duration.ofSeconds(6), 0.7, 2.0, 1000, 2, Duration.ofSeconds(30), Duration.ofSeconds(5));
  }
}
