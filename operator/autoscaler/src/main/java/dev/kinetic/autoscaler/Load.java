package dev.kinetic.autoscaler;

/**
 * One function's demand in one sample, summed over every activator.
 *
 * @param concurrency requests in flight plus queued, averaged over the last second
 * @param requestsPerSecond requests that arrived in the last second, per second
 */
public record Load(double concurrency, double requestsPerSecond) {
  public static final Load NONE = new Load(0, 0);

  public Load {
    // Clamped rather than refused: a source's rounding must not stop a function's scaling.
    concurrency = Math.max(0, concurrency);
    requestsPerSecond = Math.max(0, requestsPerSecond);
  }

  public Load plus(Load other) {
    return new Load(concurrency + other.concurrency, requestsPerSecond + other.requestsPerSecond);
  }

  /** Any request in flight, queued or arrived: the function is not idle. */
  boolean active() {
    return concurrency > 0 || requestsPerSecond > 0;
  }
}
