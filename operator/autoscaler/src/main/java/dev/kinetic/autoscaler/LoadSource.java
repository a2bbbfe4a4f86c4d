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

  /**
   * The same sample, or, when only some activators' numbers are missing, the sum of the others'
   * marked partial: a lower bound of each function's load, which may raise its scale and never
   * lowers it. A source that cannot tell which activators answered reads only whole samples.
   */
  default Optional<Reading<K>> read() {
    return sample().map(loads -> new Reading<>(loads, true));
  }

  /**
   * @param complete every activator's numbers are in; otherwise {@code loads} are a lower bound
   */
  record Reading<K>(Map<K, Load> loads, boolean complete) {}

  /**
   * A source that tells whole samples from partial ones (the activators' scraper): it gives its
   * readings, and its whole samples are those readings that are complete.
   */
  @FunctionalInterface
  interface Partial<K> extends LoadSource<K> {
    @Override
    Optional<Reading<K>> read();

    @Override
    default Optional<Map<K, Load>> sample() {
      return read().filter(Reading::complete).map(Reading::loads);
    }
  }
}
