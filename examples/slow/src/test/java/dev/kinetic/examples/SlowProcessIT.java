package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged function as the pod runs it: {@code java -jar target/function.jar}, stopped with
 * SIGTERM while a request is in flight. The request must complete, and the process must exit.
 */
class SlowProcessIT {
  private Process process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void sigtermLetsTheRequestInFlightFinishThenTheProcessExits() throws Exception {
    int port = freePort();
    int metricsPort = freePort();
    Path log = Files.createTempFile(Path.of("target"), "slow-process", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            Path.of("target", "function.jar").toString());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("KINETIC_METRICS_PORT", Integer.toString(metricsPort));
    pb.environment().put("KINETIC_FUNCTION", "slow");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    process = pb.start();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HttpResponse<String> quick =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> get(client, port, "/?ms=0"), r -> r.statusCode() == 200);
    assertThat(quick.body()).isEqualTo("slept 0 ms\n");

    CompletableFuture<HttpResponse<String>> inFlight =
        client.sendAsync(request(port, "/?ms=1500"), HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> get(client, metricsPort, "/metrics").body(),
            m -> m.contains("kinetic_requests_in_flight{function=\"slow\"} 1.0"));

    process.destroy(); // SIGTERM

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                    .isInstanceOf(ConnectException.class));
    HttpResponse<String> finished = inFlight.get(30, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).isEqualTo("slept 1500 ms\n");
    assertThat(process.waitFor(30, TimeUnit.SECONDS))
        .as("the process exits after draining")
        .isTrue();
    assertThat(Files.readString(log)).contains("\"msg\":\"draining");
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
  }

  private static HttpResponse<String> get(HttpClient client, int port, String path)
      throws IOException, InterruptedException {
    return client.send(request(port, path), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
