package dev.kinetic.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kinetic.dispatcher.DeliveryPolicy.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JDK client against a real HTTP server standing in for the activator. */
class HttpEventSenderTest {
  private static final TriggerRef REF = new TriggerRef("team-a", "nightly", "uid-7");
  private static final Instant AT = Instant.parse("2026-03-01T02:00:00Z");

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  record Received(String method, String path, Map<String, List<String>> headers, String body) {}

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void anEventGoesInBinaryModeToItsFunctionsPathOnTheActivator() throws Exception {
    URI activator = serve(exchange -> answer(exchange, 202, Map.of()));
    byte[] payload = "{\"report\":\"daily\"}".getBytes(StandardCharsets.UTF_8);

    Outcome outcome = send(activator, ScheduleEvents.of(REF, AT, payload), Duration.ofSeconds(5));

    assertThat(outcome).isEqualTo(new Outcome.Answered(202, OptionalLong.empty()));
    Received r = received.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/team-a/nightly-fn/");
    assertThat(r.headers().get("Ce-id")).containsExactly("uid-7/2026-03-01T02:00:00Z");
    assertThat(r.headers().get("Ce-type")).containsExactly(ScheduleEvents.TYPE);
    assertThat(r.headers().get("Ce-source"))
        .containsExactly("/apis/kinetic.dev/v1alpha1/namespaces/team-a/triggers/nightly");
    assertThat(r.headers().get("Ce-time")).containsExactly("2026-03-01T02:00:00Z");
    assertThat(r.headers().get("Ce-specversion")).containsExactly("1.0");
    assertThat(r.headers().get("Content-type")).containsExactly("application/json");
    assertThat(r.body()).isEqualTo("{\"report\":\"daily\"}");
  }

  @Test
  void anEventWithoutDataIsAPostWithoutABody() throws Exception {
    URI activator = serve(exchange -> answer(exchange, 200, Map.of()));

    Outcome outcome = send(activator, ScheduleEvents.of(REF, AT, null), Duration.ofSeconds(5));

    assertThat(outcome).isEqualTo(new Outcome.Answered(200, OptionalLong.empty()));
    assertThat(received.get(0).body()).isEmpty();
    assertThat(received.get(0).headers()).doesNotContainKey("Content-type");
  }

  @Test
  void retryAfterInSecondsIsPassedOnAndAnHttpDateIsIgnored() throws Exception {
    URI seconds = serve(exchange -> answer(exchange, 503, Map.of("Retry-After", "7")));
    assertThat(send(seconds, ScheduleEvents.of(REF, AT, null), Duration.ofSeconds(5)))
        .isEqualTo(new Outcome.Answered(503, OptionalLong.of(7)));
    assertThat(HttpEventSender.retryAfter(java.util.Optional.of("Wed, 21 Oct 2026 07:28:00 GMT")))
        .isEmpty();
  }

  @Test
  void noListenerIsAnAttemptWithoutAnAnswer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Outcome outcome =
        send(
            URI.create("http://127.0.0.1:" + port),
            ScheduleEvents.of(REF, AT, null),
            Duration.ofSeconds(5));
    assertThat(outcome).isEqualTo(new Outcome.NoAnswer("could not connect to the activator"));
  }

  @Test
  void anAttemptThatOutlivesItsTimeoutIsAnAttemptWithoutAnAnswer() throws Exception {
    URI activator =
        serve(
            exchange -> {
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              answer(exchange, 200, Map.of());
            });
    Outcome outcome = send(activator, ScheduleEvents.of(REF, AT, null), Duration.ofMillis(300));
    assertThat(outcome).isEqualTo(new Outcome.NoAnswer("no answer within the attempt's timeout"));
  }

  private static Outcome send(URI activator, io.cloudevents.CloudEvent event, Duration timeout)
      throws Exception {
    return new HttpEventSender(activator)
        .send("team-a", "nightly-fn", event, timeout)
        .get(30, TimeUnit.SECONDS);
  }

  private URI serve(Consumer<HttpExchange> handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  new String(body, StandardCharsets.UTF_8)));
          handler.accept(exchange);
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void answer(HttpExchange exchange, int status, Map<String, String> headers) {
    try {
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    } catch (IOException e) {
      // The client gave up first (the timeout test): nothing to answer.
    }
  }
}
