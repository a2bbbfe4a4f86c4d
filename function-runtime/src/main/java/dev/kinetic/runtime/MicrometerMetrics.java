package dev.kinetic.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host's metrics in a Prometheus registry. Names follow Prometheus conventions once exported:
 * {@code kinetic_requests_total}, {@code kinetic_request_duration_seconds}, {@code
 * kinetic_billed_duration_milliseconds_total}, {@code kinetic_billed_gb_seconds_total} …
 * (docs/runtime.md lists them all).
 */
public final class MicrometerMetrics implements RequestMetrics {
  private final PrometheusMeterRegistry registry;
  private final String function;
  private final long memoryLimitBytes;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Timer duration;
  private final Counter coldStarts;
  private final Counter billedMillis;
  private final Counter gbSeconds;

  public MicrometerMetrics(String function, long memoryLimitBytes) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.function = function;
    this.memoryLimitBytes = memoryLimitBytes;
    Gauge.builder("kinetic.requests.in.flight", inFlight, AtomicInteger::get)
        .description("requests the function is handling now")
        .tag("function", function)
        .register(registry);
    this.duration =
        Timer.builder("kinetic.request.duration")
            .description("time from request received to response decided")
            .tag("function", function)
            .publishPercentileHistogram()
            .register(registry);
    this.coldStarts =
        Counter.builder("kinetic.cold.starts")
            .description("first requests of a process")
            .tag("function", function)
            .register(registry);
    this.billedMillis =
        Counter.builder("kinetic.billed.duration")
            .baseUnit("milliseconds")
            .description("metered run time, each call rounded up to 1 ms")
            .tag("function", function)
            .register(registry);
    this.gbSeconds =
        Counter.builder("kinetic.billed.gb.seconds")
            .description("metered run time times the container's memory limit")
            .tag("function", function)
            .register(registry);
  }

  @Override
  public void requestStarted() {
    inFlight.incrementAndGet();
  }

  @Override
  public void requestFinished(Outcome outcome) {
    inFlight.decrementAndGet();
    Counter.builder("kinetic.requests")
        .description("requests by status code and how they ended")
        .tag("function", function)
        .tag("code", Integer.toString(outcome.status()))
        .tag("reason", outcome.reason())
        .register(registry)
        .increment();
    if (outcome.status() >= 500) {
      Counter.builder("kinetic.request.errors")
          .description("requests answered with a 5xx")
          .tag("function", function)
          .tag("reason", outcome.reason())
          .register(registry)
          .increment();
    }
    duration.record(outcome.durationNanos(), TimeUnit.NANOSECONDS);
    if (outcome.cold()) {
      coldStarts.increment();
    }
    if (outcome.billedMillis() > 0) {
      billedMillis.increment(outcome.billedMillis());
      gbSeconds.increment(Metering.gbSeconds(outcome.billedMillis(), memoryLimitBytes));
    }
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
