package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The activator's per-function numbers follow the functions there are, not all there ever were. */
class ActivatorStatsTest {
  private final LocalRouteTable routes = new LocalRouteTable();
  private final Gates gates =
      new Gates(
          routes,
          ActivatorSettings.defaults(),
          Peers.ALONE,
          (key, waiting, seen) -> {},
          System::nanoTime);
  private final ActivatorStats stats = new ActivatorStats(gates);

  private static Route route(FunctionKey key) {
    return new Route(key, 1, Duration.ofSeconds(5), List.of(new Endpoint("10.0.0.1", 8080)));
  }

  @Test
  void tenThousandFunctionsCreatedAndDeletedLeaveNothingBehind() {
    int before = stats.meterCount();
    for (int i = 0; i < 10_000; i++) {
      FunctionKey key = new FunctionKey("team-" + (i % 100), "fn-" + i);
      routes.put(route(key));
      Gate gate = gates.get(key);
      stats.requestArrived(key, gate);
      stats.waited(key, gate, 1_000_000, true);
      stats.rejected(key, gate, "no_capacity");
    }
    stats.sample();
    assertThat(stats.tracked()).hasSize(10_000);
    assertThat(stats.snapshot()).hasSize(10_000);
    // Per function: requests, rejected, wait timer, and the queued and in-flight gauges.
    assertThat(stats.meterCount()).isEqualTo(before + 5 * 10_000);

    for (int i = 0; i < 10_000; i++) {
      routes.remove(new FunctionKey("team-" + (i % 100), "fn-" + i));
    }
    stats.sample();

    assertThat(stats.tracked()).isEmpty();
    assertThat(stats.meterCount()).isEqualTo(before);
    assertThat(stats.snapshot()).isEmpty();
    assertThat(stats.scrape()).doesNotContain("fn-");
  }

  @Test
  void answersAreTimedInFixedBucketsByStatusClassAndGoWithTheirFunction() {
    FunctionKey key = new FunctionKey("default", "echo");
    routes.put(route(key));
    Gate gate = gates.get(key);

    stats.responded(key, gate, 200, Duration.ofMillis(3).toNanos());
    stats.responded(key, gate, 204, Duration.ofMillis(30).toNanos());
    stats.responded(key, gate, 503, Duration.ofSeconds(2).toNanos());
    stats.responded(key, gate, 0, Duration.ofSeconds(40).toNanos());

    String f = "function=\"default/echo\"";
    assertThat(stats.scrape())
        .contains("kinetic_activator_response_seconds_count{code_class=\"2xx\"," + f + "} 2")
        .contains(
            "kinetic_activator_response_seconds_bucket{code_class=\"2xx\","
                + f
                + ",le=\"0.005\"} 1")
        .contains(
            "kinetic_activator_response_seconds_bucket{code_class=\"2xx\"," + f + ",le=\"0.05\"} 2")
        .contains(
            "kinetic_activator_response_seconds_bucket{code_class=\"5xx\"," + f + ",le=\"1.0\"} 0")
        .contains(
            "kinetic_activator_response_seconds_bucket{code_class=\"5xx\"," + f + ",le=\"2.5\"} 1")
        .contains("kinetic_activator_response_seconds_count{code_class=\"none\"," + f + "} 1");

    routes.remove(key);
    stats.sample();

    assertThat(stats.scrape()).doesNotContain("kinetic_activator_response_seconds_count{");
  }

  @Test
  void requestsPerSecondAreTheArrivalsOfTheLastSecondOfSamples() {
    FunctionKey key = new FunctionKey("default", "fast");
    routes.put(route(key));
    Gate gate = gates.get(key);
    // Five samples (half a second) with 3 arrivals each: 15 in 0.5 s.
    for (int i = 0; i < 5; i++) {
      arrive(key, gate, 3);
      stats.sample();
    }
    assertThat(stats.load().get(key).requestsPerSecond()).isEqualTo(30.0);
    // Ten more samples, the last five with none: the second held is 15 arrivals over 1 s, the
    // first half-second's gone from the window.
    for (int i = 0; i < 10; i++) {
      arrive(key, gate, i < 5 ? 3 : 0);
      stats.sample();
    }
    assertThat(stats.load().get(key).requestsPerSecond()).isEqualTo(15.0);
    assertThat(stats.snapshot().get(0)).containsEntry("requestsPerSecond", 15.0);
    for (int i = 0; i < 10; i++) {
      stats.sample();
    }
    assertThat(stats.load().get(key).requestsPerSecond()).isZero();
    assertThat(stats.json()).contains("\"requestsPerSecond\":0.0");
  }

  private void arrive(FunctionKey key, Gate gate, int requests) {
    for (int i = 0; i < requests; i++) {
      stats.requestArrived(key, gate);
    }
  }

  @Test
  void aFunctionCreatedAgainReportsFreshGaugesAndCounts() {
    FunctionKey key = new FunctionKey("default", "echo");
    routes.put(route(key));
    stats.requestArrived(key, gates.get(key));
    stats.requestArrived(key, gates.get(key));
    stats.sample();
    routes.remove(key);
    routes.put(route(key));

    stats.sample();

    assertThat(stats.scrape())
        .contains("kinetic_activator_queued{function=\"default/echo\"} 0.0")
        .contains("kinetic_activator_in_flight{function=\"default/echo\"} 0.0")
        .doesNotContain("NaN")
        .doesNotContain("kinetic_activator_requests_total{function=\"default/echo\"} 2.0");
  }

  /**
   * Routes known before the gates were (static routes): a function's gate is made by its first
   * request, which may land between a sample's look at the gates and its pruning. The sampler runs
   * without pause while requests make gates; every request must still be counted.
   */
  @Test
  void aRequestThatMakesItsGateWhileASampleRunsIsCounted() throws Exception {
    LocalRouteTable known = new LocalRouteTable();
    List<FunctionKey> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      FunctionKey key = new FunctionKey("default", "fn-" + i);
      keys.add(key);
      known.put(route(key));
    }
    Gates lazy =
        new Gates(
            known,
            ActivatorSettings.defaults(),
            Peers.ALONE,
            (key, waiting, seen) -> {},
            System::nanoTime);
    ActivatorStats counted = new ActivatorStats(lazy);
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread sampler =
        new Thread(
            () -> {
              while (!done.get()) {
                counted.sample();
              }
            });
    sampler.start();
    try {
      for (FunctionKey key : keys) {
        counted.requestArrived(key, lazy.forRoute(known.route(key).orElseThrow()));
      }
    } finally {
      done.set(true);
      sampler.join();
    }
    counted.sample();

    assertThat(counted.snapshot())
        .hasSize(2_000)
        .allSatisfy(function -> assertThat(function.get("requests")).isEqualTo(1L));
  }
}
