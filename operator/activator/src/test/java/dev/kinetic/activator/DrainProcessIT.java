package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged activator, as a kubelet sends it: static routes to a backend with a hard
 * limit of 1, so that at the signal one request is with the backend and the rest wait in the
 * activator's queue. What waits is served if the backend gets to it within the drain deadline, and
 * answered 503 shutting_down if it does not; every request gets an HTTP answer, new connections are
 * refused, and the process exits.
 */
class DrainProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Vertx vertx;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void whatIsQueuedAtSigtermIsServedWhenTheBackendGetsToItWithinTheDeadline() throws Exception {
    // 6 requests x 400 ms one at a time: 2.4 s of work, well within a 30 s deadline.
    try (Backend backend = Backend.slow(vertx, 400);
        ActivatorProcess activator = start(backend, 30_000)) {
      List<CompletableFuture<HttpResponse<String>>> answers = send(activator, 6);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ActivatorProbe.waiting(http, activator.admin("/stats")) == 6);

      activator.terminate();

      assertThat(ActivatorProbe.statuses(answers, Duration.ofSeconds(30)))
          .isEqualTo(Map.of(200, 6L));
      assertThat(activator.process.waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(backend.peak.get()).as("never above the hard limit").isEqualTo(1);
    }
  }

  @Test
  void whatIsLeftAtTheDeadlineIsAnswered503ShuttingDownAndNewConnectionsAreRefused()
      throws Exception {
    // 4 requests x 5 s one at a time cannot all be done within a 1 s deadline.
    try (Backend backend = Backend.slow(vertx, 5_000);
        ActivatorProcess activator = start(backend, 1_000)) {
      List<CompletableFuture<HttpResponse<String>>> answers = send(activator, 4);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ActivatorProbe.waiting(http, activator.admin("/stats")) == 4);

      activator.terminate();

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(connects(activator.port))
                      .as("a new connection once the drain began")
                      .isFalse());
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(response.body()).path("error").asText())
            .isEqualTo("shutting_down");
      }
      assertThat(activator.process.waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
    }
  }

  private static ActivatorProcess start(Backend backend, long drainMillis) throws Exception {
    return ActivatorProcess.start(
        List.of("-XX:+UseSerialGC"),
        Map.of(
            "KINETIC_ACTIVATOR_ROUTES",
            "default/echo="
                + backend.endpoint().host()
                + ":"
                + backend.endpoint().port()
                + ";hard=1;timeout=60",
            "KINETIC_ACTIVATOR_DRAIN_TIMEOUT_MS",
            Long.toString(drainMillis)));
  }

  private List<CompletableFuture<HttpResponse<String>>> send(ActivatorProcess activator, int n) {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(
          http.sendAsync(
              HttpRequest.newBuilder(activator.uri("/default/echo/"))
                  .timeout(Duration.ofSeconds(60))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    return answers;
  }

  private static boolean connects(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }
}
