package dev.kinetic.autoscaler;

import java.util.Map;
import java.util.Optional;

/**
 * Where the autoscaler reads demand: requests in flight plus queued per function, averaged over the
 * last second and summed over every activator.
 */
@FunctionalInterface
public interface ConcurrencySource<K> {
  /**
   * @return empty when any activator's numbers are missing: a partial sum would look like a traffic
   *     drop, and the autoscaler must never scale down on missing data
   */
  Optional<Map<K, Double>> sample();
}
