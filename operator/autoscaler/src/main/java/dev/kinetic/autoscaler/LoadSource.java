package dev.kinetic.autoscaler;

import java.util.Map;
import java.util.Optional;

/** Where the autoscaler reads demand: each function's {@link Load}, summed over every activator. */
@FunctionalInterface
public interface LoadSource<K> {
  /**
   * @return empty when any activator's numbers are missing: a partial sum would look like a traffic
   *     drop, and the autoscaler must never scale down on missing data
   */
  Optional<Map<K, Load>> sample();
}
