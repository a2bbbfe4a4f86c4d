package dev.kinetic.autoscaler;

import java.time.Duration;

/**
 * One function's scaling parameters, after defaults and platform caps: bounds, the per-pod
 * concurrency target, the per-pod requests-per-second target (0: none), how long without traffic
 * before it may go to zero, the stable window its load is averaged over, the share of the targets
 * each pod is aimed at, and how long a lower count waits before pods go.
 *
 * @param utilization the share of the targets to aim for, so pods keep headroom (0.7)
 * @param scaleDownDelay scale down only to the highest count wanted over this long (30 s), so
 *     demand hovering at a pod boundary does not make pods come and go
 */
public record ScalingSpec(
    int min,
    int max,
    double target,
    double targetRequestsPerSecond,
    Duration idleTimeout,
    Duration window,
    double utilization,
    Duration scaleDownDelay) {
  /** Knative's default stable window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

  /** Knative's default target utilization. */
  public static final double DEFAULT_UTILIZATION = 0.7;

  public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);

  public ScalingSpec {
    if (min < 0 || max < Math.max(1, min)) {
      throw new IllegalArgumentException(
          "need 0 <= min <= max and max >= 1, got " + min + ".." + max);
    }
    if (target <= 0) {
      throw new IllegalArgumentException("target concurrency must be positive, got " + target);
    }
    if (targetRequestsPerSecond < 0) {
      throw new IllegalArgumentException(
          "target requests per second must not be negative, got " + targetRequestsPerSecond);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the window must be positive, got " + window);
    }
    if (!(utilization > 0 && utilization <= 1)) {
      throw new IllegalArgumentException("utilization must be in (0, 1], got " + utilization);
    }
    if (scaleDownDelay.isNegative()) {
      throw new IllegalArgumentException(
          "the scale-down delay must not be negative, got " + scaleDownDelay);
    }
  }

  /** Scaled on concurrency alone, with the defaults of the rest. */
  public ScalingSpec(int min, int max, double target, Duration idleTimeout) {
    this(
        min,
        max,
        target,
        0,
        idleTimeout,
        DEFAULT_WINDOW,
        DEFAULT_UTILIZATION,
        DEFAULT_SCALE_DOWN_DELAY);
  }

  public ScalingSpec withRequestsPerSecond(double perPod) {
    return new ScalingSpec(
        min, max, target, perPod, idleTimeout, window, utilization, scaleDownDelay);
  }

  public ScalingSpec withWindow(Duration newWindow) {
    return new ScalingSpec(
        min,
        max,
        target,
        targetRequestsPerSecond,
        idleTimeout,
        newWindow,
        utilization,
        scaleDownDelay);
  }

  public ScalingSpec withUtilization(double share) {
    return new ScalingSpec(
        min, max, target, targetRequestsPerSecond, idleTimeout, window, share, scaleDownDelay);
  }

  public ScalingSpec withScaleDownDelay(Duration delay) {
    return new ScalingSpec(
        min, max, target, targetRequestsPerSecond, idleTimeout, window, utilization, delay);
  }
}
