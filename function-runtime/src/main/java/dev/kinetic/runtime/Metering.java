package dev.kinetic.runtime;

/**
 * Usage metering as Lambda and Cloud Run bill it: the function's run time rounded up to the next
 * millisecond, and that time multiplied by the memory the container may use.
 */
public final class Metering {
  private static final double BYTES_PER_GB = 1024.0 * 1024.0 * 1024.0;

  private Metering() {}

  /** Whole milliseconds, rounded up: a call that ran at all is billed at least 1 ms. */
  public static long billedMillis(long durationNanos) {
    if (durationNanos <= 0) {
      return 1;
    }
    return (durationNanos + 999_999) / 1_000_000;
  }

  /** GB-seconds (1 GB = 1024³ bytes, as the clouds count it) for a billed duration. */
  public static double gbSeconds(long billedMillis, long memoryLimitBytes) {
    return (billedMillis / 1000.0) * (memoryLimitBytes / BYTES_PER_GB);
  }
}
