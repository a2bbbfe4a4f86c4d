package dev.kinetic.operator.autoscale;

import dev.kinetic.autoscaler.LoadSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What an admin watches of the autoscaler; the names are listed in docs/admin.md. */
final class AutoscalerMetrics {
  private AutoscalerMetrics() {}

  /**
   * Counts each sample as complete or missing: a run of missing samples means every function's
   * scale is frozen, which an admin must hear about.
   */
  static <K> LoadSource<K> counting(LoadSource<K> source, MeterRegistry meters) {
    Counter complete = samples(meters, "complete");
    Counter missing = samples(meters, "missing");
    return () -> {
      var sample = source.sample();
      (sample.isPresent() ? complete : missing).increment();
      return sample;
    };
  }

  private static Counter samples(MeterRegistry meters, String outcome) {
    return Counter.builder("kinetic.autoscaler.samples")
        .description("load samples of all activators, complete or missing")
        .tag("outcome", outcome)
        .register(meters);
  }
}
