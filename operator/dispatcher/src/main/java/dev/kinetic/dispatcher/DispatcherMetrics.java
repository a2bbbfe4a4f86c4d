package dev.kinetic.dispatcher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-Trigger counters and the delivery latency histogram. A deleted Trigger's meters are removed,
 * so a cluster that creates and deletes Triggers for ever does not grow its scrape for ever.
 */
final class DispatcherMetrics {
  private final MeterRegistry registry;
  private final Map<TriggerRef, Meters> meters = new ConcurrentHashMap<>();

  private record Meters(
      Counter fired,
      Counter delivered,
      Counter retried,
      Counter failed,
      Counter skipped,
      Counter deadLettered,
      AtomicLong lag,
      Gauge lagGauge,
      Timer latency) {
    List<Meter> all() {
      return List.of(fired, delivered, retried, failed, skipped, deadLettered, lagGauge, latency);
    }
  }

  DispatcherMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void fired(TriggerRef ref) {
    of(ref).fired().increment();
  }

  /**
   * @param latency from the scheduled time to the function's 2xx answer
   */
  void delivered(TriggerRef ref, Duration latency) {
    Meters m = of(ref);
    m.delivered().increment();
    m.latency().record(latency);
  }

  void retried(TriggerRef ref) {
    of(ref).retried().increment();
  }

  void failed(TriggerRef ref) {
    of(ref).failed().increment();
  }

  /** A schedule's event given up on reached its dead-letter Function (counted failed before). */
  void deadLettered(TriggerRef ref) {
    of(ref).deadLettered().increment();
  }

  void skipped(TriggerRef ref) {
    of(ref).skipped().increment();
  }

  /** A stream's lag as last measured; -1 before the first measure. */
  void lag(TriggerRef ref, long records) {
    of(ref).lag().set(records);
  }

  /** Counts a stream's deliveries as they happen, from its own threads (meters are thread-safe). */
  DeliveryObserver observer(TriggerRef ref) {
    Meters m = of(ref);
    return new DeliveryObserver() {
      @Override
      public void delivered(Duration latency) {
        m.delivered().increment();
        m.latency().record(latency.isNegative() ? Duration.ZERO : latency);
      }

      @Override
      public void retried() {
        m.retried().increment();
      }

      @Override
      public void failed(boolean deadLettered) {
        m.failed().increment();
        if (deadLettered) {
          m.deadLettered().increment();
        }
      }
    };
  }

  void forget(TriggerRef ref) {
    Meters m = meters.remove(ref);
    if (m != null) {
      new ArrayList<>(m.all()).forEach(registry::remove);
    }
  }

  private Meters of(TriggerRef ref) {
    return meters.computeIfAbsent(ref, this::register);
  }

  private Meters register(TriggerRef r) {
    AtomicLong lag = new AtomicLong(-1);
    return new Meters(
        counter("kinetic.dispatcher.events.fired", "Events fired by a schedule", r),
        counter("kinetic.dispatcher.events.delivered", "Events a function accepted", r),
        counter("kinetic.dispatcher.events.retried", "Attempts made again", r),
        counter("kinetic.dispatcher.events.failed", "Events given up on", r),
        counter(
            "kinetic.dispatcher.events.skipped",
            "Scheduled times not fired: late, overlapping or no such function",
            r),
        counter(
            "kinetic.dispatcher.events.deadlettered",
            "Records written to the dead-letter topic",
            r),
        lag,
        Gauge.builder("kinetic.dispatcher.lag.records", lag, AtomicLong::get)
            .description("Records of a stream not yet committed; -1 before measured")
            .tag("namespace", r.namespace())
            .tag("trigger", r.name())
            .register(registry),
        Timer.builder("kinetic.dispatcher.delivery.latency")
            .description("From an event's scheduled time (a record's timestamp) to its delivery")
            .tag("namespace", r.namespace())
            .tag("trigger", r.name())
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofHours(1))
            .register(registry));
  }

  private Counter counter(String name, String description, TriggerRef r) {
    return Counter.builder(name)
        .description(description)
        .tag("namespace", r.namespace())
        .tag("trigger", r.name())
        .register(registry);
  }
}
