package dev.kinetic.runtime;

/** What the host reports about requests; the narrow side the handler depends on. */
public interface RequestMetrics {
  void requestStarted();

  /** Called once per request that was started, however it ended. */
  void requestFinished(Outcome outcome);

  /**
   * How one request ended.
   *
   * @param reason ok, client_error, exception, timeout
   * @param billedMillis metered duration, 0 for requests the function never ran
   */
  record Outcome(int status, String reason, long durationNanos, long billedMillis, boolean cold) {}
}
