package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The drain on SIGTERM: what is queued is served if a pod comes within the drain deadline, and
 * answered 503 shutting_down if none does; a request arriving on a connection opened before the
 * drain is served like them, with Connection: close. No request ends without an answer.
 */
class DrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FunctionKey ECHO = new FunctionKey("default", "echo");

  private Vertx vertx;
  private LocalRouteTable routes;
  private Activator activator;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    vertx = NetworkTransport.vertx(Map.of(), new io.vertx.core.VertxOptions());
    routes = new LocalRouteTable();
    // No pod yet: requests queue. The function's timeout is far beyond the drain's deadline.
    routes.put(new Route(ECHO, 0, Duration.ofSeconds(60), List.of()));
  }

  private void startActivator(Duration drainTimeout) throws Exception {
    activator =
        Activator.start(
                vertx,
                ActivatorSettings.defaults().withPorts(0, 0).withDrainTimeout(drainTimeout),
                routes,
                (key, waiting, seen) -> {})
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void queuedRequestsAreServedWhenAPodComesWithinTheDeadline() throws Exception {
    startActivator(Duration.ofSeconds(30));
    List<CompletableFuture<HttpResponse<String>>> queued = send(5);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 5);
    try (Socket openBefore = new Socket("127.0.0.1", activator.port())) {
      openBefore.setSoTimeout(10_000);

      Future<Void> drained = activator.drain();
      openBefore
          .getOutputStream()
          .write(
              "GET /default/echo/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      Backend pod = Backend.slow(vertx, 0);
      try {
        routes.put(new Route(ECHO, 0, Duration.ofSeconds(60), List.of(pod.endpoint())));
        for (CompletableFuture<HttpResponse<String>> answer : queued) {
          assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        // The request sent after the drain began on a connection opened before it: served too,
        // and told to go elsewhere next time.
        String late =
            new String(openBefore.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(late).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
        drained.await(10, TimeUnit.SECONDS);
      } finally {
        pod.close();
      }
    }
  }

  @Test
  void queuedRequestsAreAnswered503ShuttingDownWhenTheDeadlinePasses() throws Exception {
    startActivator(Duration.ofMillis(500));
    List<CompletableFuture<HttpResponse<String>>> queued = send(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 3);

    activator.drain().await(10, TimeUnit.SECONDS);

    for (CompletableFuture<HttpResponse<String>> answer : queued) {
      HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).contains("1");
      assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("shutting_down");
    }
  }

  @Test
  void stopNowCutsTheDrainShortAndAnswersWhatWaits() throws Exception {
    startActivator(Duration.ofMinutes(5));
    List<CompletableFuture<HttpResponse<String>>> queued = send(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 3);
    Future<Void> drained = activator.drain();

    activator.stopNow();

    // Answered long before the 5-minute deadline (each answer is awaited 10 s at most).
    for (CompletableFuture<HttpResponse<String>> answer : queued) {
      HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("shutting_down");
    }
    drained.await(10, TimeUnit.SECONDS);
  }

  @Test
  void closingVertxWithoutADrainStopsListeningOnEveryPort() throws Exception {
    // Twenty times: on io_uring, ending the event loops with the listening socket still open left
    // it accepting connections for the rest of the process (most of the time, not every time).
    for (int i = 0; i < 20; i++) {
      activator =
          Activator.start(
                  vertx,
                  ActivatorSettings.defaults().withPorts(0, 0, 0),
                  routes,
                  (key, waiting, seen) -> {})
              .await(10, TimeUnit.SECONDS);
      List<Integer> ports =
          List.of(activator.port(), activator.publicPort(), activator.adminPort());

      vertx.close().await(10, TimeUnit.SECONDS);

      for (int port : ports) {
        assertThat(refuses(port)).as("port %d after Vert.x closed", port).isTrue();
      }
      vertx = NetworkTransport.vertx(Map.of(), new io.vertx.core.VertxOptions());
    }
  }

  @Test
  void closingVertxAfterADrainEnds() throws Exception {
    startActivator(Duration.ofMillis(200));
    List<Integer> ports = List.of(activator.port(), activator.adminPort());
    activator.drain().await(10, TimeUnit.SECONDS);

    // The close hook stops what the drain already stopped: it must not wait on ended event loops.
    vertx.close().await(10, TimeUnit.SECONDS);

    for (int port : ports) {
      assertThat(refuses(port)).as("port %d after the drain and Vert.x closed", port).isTrue();
    }
    vertx = NetworkTransport.vertx(Map.of(), new io.vertx.core.VertxOptions());
  }

  @Test
  void aFailedStartLeavesNoPortListening() throws Exception {
    int inside;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      inside = probe.getLocalPort();
    }
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      // The public port is taken: the start fails after the proxy's own port was bound.
      Future<Activator> failed =
          Activator.start(
              vertx,
              ActivatorSettings.defaults().withPorts(inside, 0, taken.getLocalPort()),
              routes,
              (key, waiting, seen) -> {});
      await().atMost(Duration.ofSeconds(10)).until(failed::isComplete);
      assertThat(failed.failed()).isTrue();
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> refuses(inside));
  }

  private static boolean refuses(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return false;
    } catch (java.io.IOException refused) {
      return true;
    }
  }

  private List<CompletableFuture<HttpResponse<String>>> send(int n) {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + activator.port() + "/default/echo/"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    return answers;
  }

  /** Requests waiting for a pod, as the admin port's /stats says. */
  private int queued() throws Exception {
    String stats =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + activator.adminPort() + "/stats"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (JsonNode f : JSON.readTree(stats).path("functions")) {
      if ("echo".equals(f.path("name").asText())) {
        return f.path("queued").asInt();
      }
    }
    return 0;
  }
}
