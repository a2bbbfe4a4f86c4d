package dev.kinetic.autoscaler;

import java.time.Duration;

/**
 * One function's scaling parameters, after defaults and platform caps: bounds, the per-pod
 * concurrency target, the per-pod requests-per-second target (0: none), how long without traffic
 * before it may go to zero, and the stable window its load is averaged over.
 */
public record ScalingSpec(
    int min,
    int max,
    double target,
    double targetRequestsPerSecond,
    Duration idleTimeout,
    Duration window) {
  /** Knative's default stable window. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

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
  }

  /** Scaled on concurrency alone, over the default window. */
  public ScalingSpec(int min, int max, double target, Duration idleTimeout) {
    this(min, max, target, 0, idleTimeout, DEFAULT_WINDOW);
  }

  /** The same function averaged over another window. */
  public ScalingSpec withWindow(Duration newWindow) {
    return new ScalingSpec(min, max, target, targetRequestsPerSecond, idleTimeout, newWindow);
  }
}
