package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.function.Response;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * End to end through HTTP and the metrics port, with a fake monotonic clock so the metered time is
 * exact: every reading advances it by 100 ms.
 */
class MeteringOverHttpTest {
  @Test
  void aRequestIsMeteredInMillisecondsAndGbSecondsOnTheMetricsPort() throws Exception {
    AtomicLong fakeNanos = new AtomicLong();
    MicrometerMetrics registry = new MicrometerMetrics("meter", 1024L * 1024 * 1024);
    FunctionHost host =
        FunctionHost.start(
            RuntimeSettings.forTest("meter"),
            new JsonLog(new StringWriter(), Clock.systemUTC()),
            Clock.systemUTC(),
            () -> fakeNanos.addAndGet(100_000_000),
            registry);
    host.ready((req, ctx) -> Response.ok("metered"));
    try (MetricsServer metricsServer = MetricsServer.start(0, registry)) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);

      await()
          .untilAsserted(
              () -> {
                String scrape =
                    client
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        "http://127.0.0.1:" + metricsServer.port() + "/metrics"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body();
                // Readings: request start, call start, call end → the call took 100 ms.
                assertThat(scrape)
                    .contains(
                        "kinetic_billed_duration_milliseconds_total{function=\"meter\"} 100.0")
                    .contains("kinetic_billed_gb_seconds_total{function=\"meter\"} 0.1");
              });
    } finally {
      host.drain();
    }
  }
}
