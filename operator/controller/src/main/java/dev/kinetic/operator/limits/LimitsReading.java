package dev.kinetic.operator.limits;

import dev.kinetic.api.PlatformLimits;
import java.util.Optional;

/**
 * The platform limits as last read, or why they could not be read. An unreadable ConfigMap is not
 * "no limits": the reconciler then leaves running functions alone and says so in their status.
 */
public record LimitsReading(Optional<PlatformLimits> limits, Optional<String> error) {
  public static LimitsReading of(PlatformLimits limits) {
    return new LimitsReading(Optional.of(limits), Optional.empty());
  }

  public static LimitsReading unreadable(String error) {
    return new LimitsReading(Optional.empty(), Optional.of(error));
  }
}
