package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client connections are bounded in time and number: a head that trickles in, a kept-alive
 * connection left idle and a body that stops are each ended after their own deadline (set short
 * here), the connection cap answers 503 at once, and good clients are served all along.
 */
class ClientLimitsTest {
  private static final FunctionKey ECHO = new FunctionKey("default", "echo");
  private static final String GET = "GET /default/echo/ HTTP/1.1\r\nHost: x\r\n\r\n";

  private Vertx vertx;
  private Activator activator;
  private Backend pod;
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws Exception {
    vertx = NetworkTransport.vertx(Map.of(), new io.vertx.core.VertxOptions());
    pod = Backend.slow(vertx, 0);
  }

  private void startActivator(ClientLimits limits) throws Exception {
    LocalRouteTable routes = new LocalRouteTable();
    routes.put(new Route(ECHO, 0, Duration.ofSeconds(5), List.of(pod.endpoint())));
    activator =
        Activator.start(
                vertx,
                ActivatorSettings.defaults().withPorts(0, 0).withClientLimits(limits),
                routes,
                (key, waiting, seen) -> {})
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    trickle.shutdownNow();
    pod.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aHeadThatTricklesInIsAnswered408AtItsDeadlineWhileOthersAreServed() throws Exception {
    startActivator(limits(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30)));
    try (Socket slow = connect()) {
      OutputStream out = slow.getOutputStream();
      out.write(bytes("GET /default/echo/ HTTP/1.1\r\nHost: x\r\n"));
      // One more header line every 100 ms, as a slowloris client does, for at most 10 s.
      trickle.scheduleAtFixedRate(() -> write(out, "X-Slow: 1\r\n"), 0, 100, TimeUnit.MILLISECONDS);

      assertThat(exchange(GET)).as("a good client meanwhile").startsWith("HTTP/1.1 200");
      String answer = readToEnd(slow);

      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"header_timeout\"");
    }
  }

  @Test
  void aKeptAliveConnectionLeftIdleIsClosed() throws Exception {
    startActivator(limits(Duration.ofSeconds(30), Duration.ofMillis(300), Duration.ofSeconds(30)));
    try (Socket idle = connect()) {
      idle.getOutputStream().write(bytes(GET));

      String answer = readToEnd(idle);

      assertThat(answer).as("answered, then closed once idle").startsWith("HTTP/1.1 200");
      assertThat(answer).doesNotContain("HTTP/1.1 408");
    }
  }

  @Test
  void aBodyThatStopsIsAnswered408() throws Exception {
    startActivator(limits(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMillis(300)));
    try (Socket stalled = connect()) {
      stalled
          .getOutputStream()
          .write(
              bytes(
                  "POST /default/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                      + "0123456789"));

      String answer = readToEnd(stalled);

      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"body_timeout\"");
      assertThat(exchange(GET)).as("the slot it held is free").startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void connectionsOverTheCapAreAnswered503AtOnceAndTheCapFreesAsTheyClose() throws Exception {
    startActivator(
        new ClientLimits(
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            2,
            Duration.ofSeconds(2)));
    Socket first = connect();
    try (Socket second = connect()) {
      // Both are answered before the third connects: each connection is counted on its own event
      // loop once accepted, so a connection merely opened may not be counted yet.
      for (Socket held : List.of(first, second)) {
        held.getOutputStream().write(bytes(GET));
        assertThat(readHead(held)).startsWith("HTTP/1.1 200");
      }

      String over = exchange(GET);

      assertThat(over)
          .startsWith("HTTP/1.1 503")
          .contains("Retry-After: 1")
          .contains("\"too_many_connections\"");
      first.close();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> exchange(GET).startsWith("HTTP/1.1 200"));
    }
  }

  private static ClientLimits limits(Duration header, Duration idle, Duration body) {
    return new ClientLimits(header, idle, body, 10_000, Duration.ofSeconds(2));
  }

  private Socket connect() throws Exception {
    Socket socket = new Socket("127.0.0.1", activator.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** One request on its own connection, closed by the client after the answer's head. */
  private String exchange(String request) throws Exception {
    try (Socket socket = connect()) {
      socket
          .getOutputStream()
          .write(bytes(request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")));
      return readToEnd(socket);
    }
  }

  private static String readHead(Socket socket) throws Exception {
    byte[] buffer = new byte[4096];
    int n = socket.getInputStream().read(buffer);
    return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** Everything until the activator closes the connection (bounded by the socket's timeout). */
  private static String readToEnd(Socket socket) throws Exception {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void write(OutputStream out, String s) {
    try {
      out.write(bytes(s));
    } catch (java.io.IOException closed) {
      // The activator has closed the connection: the trickle has nothing more to do.
      throw new IllegalStateException(closed);
    }
  }
}
