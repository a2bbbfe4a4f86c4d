package dev.kinetic.operator.autoscale;

import dev.kinetic.autoscaler.LoadSource;
import dev.kinetic.autoscaler.LoadSource.Reading;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** What an admin watches of the autoscaler; the names are listed in docs/admin.md. */
final class AutoscalerMetrics {
  private AutoscalerMetrics() {}

  /**
   * Counts each sample as complete, partial or missing: a run of missing samples means every
   * function's scale is frozen, a run of partial ones that none goes down, which an admin must hear
   * about.
   */
  static <K> LoadSource<K> counting(LoadSource<K> source, MeterRegistry meters) {
    Counter complete = samples(meters, "complete");
    Counter partial = samples(meters, "partial");
    Counter missing = samples(meters, "missing");
    return (LoadSource.Partial<K>)
        () -> {
          Optional<Reading<K>> reading = source.read();
          reading.map(r -> r.complete() ? complete : partial).orElse(missing).increment();
          return reading;
        };
  }

  private static Counter samples(MeterRegistry meters, String outcome) {
    return Counter.builder("kinetic.autoscaler.samples")
        .description("load samples of all activators, complete, partial or missing")
        .tag("outcome", outcome)
        .register(meters);
  }
}
