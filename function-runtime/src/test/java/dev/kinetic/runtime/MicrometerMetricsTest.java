package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names and values a Prometheus scraper sees. */
class MicrometerMetricsTest {
  private static final long HALF_GIB = 512L * 1024 * 1024;

  @Test
  void countsRequestsErrorsColdStartsAndMetersUsage() {
    MicrometerMetrics metrics = new MicrometerMetrics("hello", HALF_GIB);
    metrics.requestStarted();
    metrics.requestFinished(new RequestMetrics.Outcome(200, "ok", 250_000_000, 250, true));
    metrics.requestStarted();
    metrics.requestFinished(new RequestMetrics.Outcome(504, "timeout", 1_000_000_000, 1000, false));
    metrics.requestStarted(); // still running

    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("kinetic_requests_total{code=\"200\",function=\"hello\",reason=\"ok\"} 1.0")
        .contains("kinetic_requests_total{code=\"504\",function=\"hello\",reason=\"timeout\"} 1.0")
        .contains("kinetic_request_errors_total{function=\"hello\",reason=\"timeout\"} 1.0")
        .contains("kinetic_cold_starts_total{function=\"hello\"} 1.0")
        .contains("kinetic_requests_in_flight{function=\"hello\"} 1.0")
        .contains("kinetic_billed_duration_milliseconds_total{function=\"hello\"} 1250.0")
        // (0.25 s + 1 s) × 0.5 GB
        .contains("kinetic_billed_gb_seconds_total{function=\"hello\"} 0.625")
        .contains("kinetic_request_duration_seconds_count{function=\"hello\"} 2")
        .contains("kinetic_request_duration_seconds_bucket{function=\"hello\",le=");
    assertThat(scrape)
        .doesNotContain("kinetic_request_errors_total{function=\"hello\",reason=\"ok\"}");
  }

  @Test
  void requestsTheFunctionNeverRanAreNotBilled() {
    MicrometerMetrics metrics = new MicrometerMetrics("hello", HALF_GIB);
    metrics.requestStarted();
    metrics.requestFinished(new RequestMetrics.Outcome(400, "client_error", 1_000, 0, false));

    assertThat(metrics.scrape())
        .contains("kinetic_billed_duration_milliseconds_total{function=\"hello\"} 0.0");
  }

  @Test
  void whatIsRecordedBeforeTheRegistryExistsIsAppliedOnceItDoes() {
    DeferredMetrics deferred = new DeferredMetrics();
    deferred.requestStarted();
    deferred.requestFinished(new RequestMetrics.Outcome(200, "ok", 5_000_000, 5, true));

    MicrometerMetrics registry = new MicrometerMetrics("hello", HALF_GIB);
    deferred.complete(registry);
    deferred.requestStarted();
    deferred.requestFinished(new RequestMetrics.Outcome(200, "ok", 5_000_000, 5, false));

    assertThat(registry.scrape())
        .contains("kinetic_requests_total{code=\"200\",function=\"hello\",reason=\"ok\"} 2.0")
        .contains("kinetic_cold_starts_total{function=\"hello\"} 1.0")
        .contains("kinetic_requests_in_flight{function=\"hello\"} 0.0");
  }
}
