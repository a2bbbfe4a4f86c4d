package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The host over real HTTP on an ephemeral port: every bound and every error mapping. */
class FunctionHostTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RuntimeSettings DEFAULTS = RuntimeSettings.forTest("test-fn");

  @Test
  void servesTheFunctionWithARequestIdAndOneLogLine() throws Exception {
    try (RunningHost h =
        new RunningHost(
            DEFAULTS, (req, ctx) -> Response.ok("hi " + req.queryParam("name").orElse("?")))) {
      HttpResponse<String> response =
          h.send(
              HttpRequest.newBuilder(h.uri("/greet?name=Ada"))
                  .header("X-Request-Id", "req-123")
                  .build());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("hi Ada");
      assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-123");
      // The access-log line is written once the response is out: wait for it.
      String logged =
          await().until(() -> accessLogLine(h), java.util.Optional::isPresent).orElseThrow();
      JsonNode line = JSON.readTree(logged);
      assertThat(line.get("request_id").asText()).isEqualTo("req-123");
      assertThat(line.get("function").asText()).isEqualTo("test-fn");
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("path").asText()).isEqualTo("/greet");
      assertThat(line.get("cold").asBoolean()).isTrue();
      assertThat(line.has("duration_ms")).isTrue();
    }
  }

  @Test
  void moreKeepAliveConnectionsThanTheJdkKeepsIdleAllStayOpenForTheirNextRequest()
      throws Exception {
    // The JDK server closes a connection after its response once 200 are idle: a proxy that took
    // it from its pool for the next request would see it closed before any answer.
    int connections = 260;
    try (RunningHost h = new RunningHost(DEFAULTS, (req, ctx) -> Response.ok("x"))) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i++) {
          Socket socket = new Socket("127.0.0.1", h.host.port());
          socket.setSoTimeout(10_000);
          sockets.add(socket);
          assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
        }
        for (Socket socket : sockets) {
          assertThat(exchange(socket))
              .as("a second request on a kept connection")
              .startsWith("HTTP/1.1 200");
        }
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
    }
  }

  /** One GET on a kept-alive connection; its status line and headers ("" if the server closed). */
  private static String exchange(Socket socket) throws IOException {
    return exchange(socket, "GET");
  }

  /** One request on the socket; its response's head, the body (if any) read past. */
  private static String exchange(Socket socket, String method) throws IOException {
    socket
        .getOutputStream()
        .write((method + " / HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    int b;
    while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1) {
      head.append((char) b);
    }
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (length.find() && !method.equals("HEAD")) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return head.toString();
  }

  @Test
  void aHeadRequestGetsTheHeadersAGetWouldAndNoBodyAndItsConnectionServesTheNext()
      throws Exception {
    try (RunningHost h = new RunningHost(DEFAULTS, (req, ctx) -> Response.ok("hello there"))) {
      try (Socket socket = new Socket("127.0.0.1", h.host.port())) {
        socket.setSoTimeout(10_000);
        assertThat(exchange(socket, "HEAD"))
            .startsWith("HTTP/1.1 200")
            .containsIgnoringCase("content-length: 11\r\n");
        assertThat(exchange(socket, "GET"))
            .as("the next request on that connection, answered after no stray body")
            .startsWith("HTTP/1.1 200");
      }
      await().until(() -> h.metrics.finished.size() == 2);
      assertThat(h.log()).doesNotContain("could not send the response");
    }
  }

  @Test
  void onlyTheFirstRequestOfAProcessIsCold() throws Exception {
    try (RunningHost h = new RunningHost(DEFAULTS, (req, ctx) -> Response.ok("x"))) {
      // Each outcome is recorded after its response is sent: wait for the first before the
      // second, or the two recordings may land in either order.
      h.get("/");
      await().until(() -> h.metrics.finished.size() == 1);
      h.get("/");
      await().until(() -> h.metrics.finished.size() == 2);
      assertThat(h.metrics.finished)
          .extracting(RequestMetrics.Outcome::cold)
          .containsExactly(true, false);
    }
  }

  @Test
  void anExceptionBecomesA500WithTheRequestIdAndTheStackTraceOnlyInTheLog() throws Exception {
    try (RunningHost h =
        new RunningHost(
            DEFAULTS,
            (req, ctx) -> {
              throw new IllegalStateException("database password=hunter2 rejected");
            })) {
      HttpResponse<String> response = h.get("/");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("error").asText()).isEqualTo("function_error");
      assertThat(body.get("requestId").asText())
          .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
      assertThat(response.body()).doesNotContain("IllegalStateException", "hunter2", "at dev.");
      await().until(() -> !h.metrics.finished.isEmpty());
      assertThat(h.log()).contains("IllegalStateException").contains("at dev.kinetic");
      assertThat(h.metrics.finished)
          .singleElement()
          .satisfies(o -> assertThat(o.reason()).isEqualTo("exception"));
    }
  }

  @Test
  void aBadRequestExceptionBecomesA400WithItsMessage() throws Exception {
    try (RunningHost h =
        new RunningHost(
            DEFAULTS,
            (req, ctx) -> {
              throw new BadRequestException("field 'name' is required");
            })) {
      HttpResponse<String> response = h.post("/", "{}");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).get("message").asText())
          .isEqualTo("field 'name' is required");
    }
  }

  @Test
  void aFunctionPastItsDeadlineGets504AndItsThreadIsInterrupted() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    RuntimeSettings settings = DEFAULTS.withTimeout(Duration.ofMillis(200));
    try (RunningHost h =
        new RunningHost(
            settings,
            (req, ctx) -> {
              try {
                new CountDownLatch(1).await(); // waits for ever unless interrupted
              } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
              }
              return Response.ok("never");
            })) {
      HttpResponse<String> response = h.get("/");

      assertThat(response.statusCode()).isEqualTo(504);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("error").asText()).isEqualTo("timeout");
      assertThat(body.get("message").asText()).contains("200 ms");
      assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
      await().until(() -> !h.metrics.finished.isEmpty());
      assertThat(h.metrics.finished.get(0).reason()).isEqualTo("timeout");
      assertThat(h.metrics.finished.get(0).billedMillis()).isPositive();
    }
  }

  @Test
  void anAsyncFunctionPastItsDeadlineIsCancelled() throws Exception {
    CompletableFuture<Response> never = new CompletableFuture<>();
    try (RunningHost h =
        new RunningHost(
            DEFAULTS.withTimeout(Duration.ofMillis(200)),
            Invokers.of((dev.kinetic.function.AsyncHttpFunction) (req, ctx) -> never))) {
      assertThat(h.get("/").statusCode()).isEqualTo(504);
      await().until(never::isCancelled);
    }
  }

  @Test
  void anAsyncFunctionAnswersWhenItsStageCompletes() throws Exception {
    try (RunningHost h =
        new RunningHost(
            DEFAULTS,
            Invokers.of(
                (dev.kinetic.function.AsyncHttpFunction)
                    (req, ctx) -> CompletableFuture.supplyAsync(() -> Response.ok("later"))))) {
      HttpResponse<String> response = h.get("/");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("later");
    }
  }

  @Test
  void aboveTheHardLimitTheHostAnswers503WithRetryAfter() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (RunningHost h =
        new RunningHost(
            DEFAULTS.withHardConcurrency(1),
            (req, ctx) -> {
              entered.countDown();
              release.await();
              return Response.ok("done");
            })) {
      CompletableFuture<HttpResponse<String>> first =
          h.client.sendAsync(
              HttpRequest.newBuilder(h.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> second = h.get("/");
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(JSON.readTree(second.body()).get("error").asText()).isEqualTo("overloaded");

      release.countDown();
      assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(h.get("/").statusCode()).as("the slot is free again").isEqualTo(200);
      assertThat(h.metrics.started.get())
          .as("the rejected request never reached the function")
          .isEqualTo(2);
    }
  }

  @Test
  void theSlotIsFreeByTheTimeTheCallerHasTheResponse() throws Exception {
    // A proxy that holds a pod to its hard limit sends the next request the moment it has the
    // last byte of a response; the host must not answer that one with 503.
    try (RunningHost h =
        new RunningHost(DEFAULTS.withHardConcurrency(1), (req, ctx) -> Response.ok("x"))) {
      for (int i = 0; i < 300; i++) {
        assertThat(h.get("/").statusCode()).as("request %d", i).isEqualTo(200);
      }
    }
  }

  @Test
  void aBodyAboveTheLimitIs413AndTheFunctionNeverRuns() throws Exception {
    RuntimeSettings settings =
        DEFAULTS.withSizeLimits(1024, RuntimeSettings.DEFAULT_MAX_HEADER_BYTES);
    try (RunningHost h = new RunningHost(settings, (req, ctx) -> Response.ok("ran"))) {
      HttpResponse<String> declared = h.post("/", "x".repeat(2000));
      assertThat(declared.statusCode()).isEqualTo(413);
      assertThat(JSON.readTree(declared.body()).get("message").asText()).contains("1024 bytes");

      // Chunked: no Content-Length, the limit applies while reading.
      HttpResponse<String> chunked =
          h.send(
              HttpRequest.newBuilder(h.uri("/"))
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new java.io.ByteArrayInputStream(new byte[5000])))
                  .build());
      assertThat(chunked.statusCode()).isEqualTo(413);
      assertThat(h.post("/", "small").statusCode()).isEqualTo(200);
      assertThat(h.metrics.started.get()).isEqualTo(1);
    }
  }

  @Test
  void headersAboveTheLimitAre431() throws Exception {
    RuntimeSettings settings =
        DEFAULTS.withSizeLimits(RuntimeSettings.DEFAULT_MAX_BODY_BYTES, 2048);
    try (RunningHost h = new RunningHost(settings, (req, ctx) -> Response.ok("ran"))) {
      HttpResponse<String> response =
          h.send(HttpRequest.newBuilder(h.uri("/")).header("X-Big", "y".repeat(3000)).build());
      assertThat(response.statusCode()).isEqualTo(431);
      assertThat(JSON.readTree(response.body()).get("error").asText())
          .isEqualTo("headers_too_large");
    }
  }

  @Test
  void readyzIs503UntilTheFunctionIsLoadedAndHealthzIsAlways200() throws Exception {
    try (RunningHost h = new RunningHost(DEFAULTS, null)) {
      assertThat(h.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(h.get("/readyz").statusCode()).isEqualTo(503);
      HttpResponse<String> early = h.get("/");
      assertThat(early.statusCode()).isEqualTo(503);
      assertThat(early.headers().firstValue("Retry-After")).hasValue("1");

      h.host.ready((req, ctx) -> Response.ok("now"));
      assertThat(h.get("/readyz").statusCode()).isEqualTo(200);
      assertThat(h.get("/").body()).isEqualTo("now");
    }
  }

  @Test
  void drainFinishesTheRequestInFlightAndRefusesNewConnections() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RunningHost h =
        new RunningHost(
            DEFAULTS,
            (req, ctx) -> {
              entered.countDown();
              release.await();
              return Response.ok("finished");
            });
    int port = h.host.port();
    CompletableFuture<HttpResponse<String>> inFlight =
        h.client.sendAsync(
            HttpRequest.newBuilder(h.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> drained = CompletableFuture.runAsync(h::drain);
    await()
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                    .isInstanceOf(ConnectException.class));
    assertThat(drained).isNotDone();

    release.countDown();
    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("finished");
    drained.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCallerTraceparentIsContinuedWithANewSpan() throws Exception {
    String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    try (RunningHost h = new RunningHost(DEFAULTS, (req, ctx) -> Response.ok(ctx.traceparent()))) {
      HttpResponse<String> response =
          h.send(HttpRequest.newBuilder(h.uri("/")).header("traceparent", incoming).build());
      assertThat(response.body())
          .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
          .doesNotContain("00f067aa0ba902b7")
          .endsWith("-01");
      await()
          .untilAsserted(
              () ->
                  assertThat(accessLogLine(h))
                      .hasValueSatisfying(
                          l ->
                              assertThat(l)
                                  .contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"")));
    }
  }

  @Test
  void aMalformedRequestGetsA4xxAndNeverReachesTheFunction() throws Exception {
    try (RunningHost h = new RunningHost(DEFAULTS, (req, ctx) -> Response.ok("x"));
        Socket socket = new Socket("127.0.0.1", h.host.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      // The JDK server reads "NOT" as a method and "HTTP" as a path outside every context.
      assertThat(answer).startsWith("HTTP/1.1 4");
      assertThat(h.metrics.started.get()).isZero();
    }
  }

  private static java.util.Optional<String> accessLogLine(RunningHost h) {
    return h.log().lines().filter(l -> l.contains("\"msg\":\"request\"")).findFirst();
  }
}
