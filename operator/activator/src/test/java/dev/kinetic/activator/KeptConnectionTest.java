package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A kept connection that the pod closes as the next request arrives on it — the race every
 * keep-alive pool has with a server closing idle connections (the JDK's server past its idle cap,
 * Node's after 5 s): an idempotent request without a body goes once more on a new connection.
 */
class KeptConnectionTest {
  private static final FunctionKey FN = new FunctionKey("default", "echo");
  private static final Pattern LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

  private Vertx vertx;
  private Activator activator;
  private ClosingPod pod;

  @BeforeEach
  void start() throws Exception {
    vertx = NetworkTransport.vertx(Map.of(), new VertxOptions());
    pod = new ClosingPod();
    LocalRouteTable routes = new LocalRouteTable();
    routes.put(new Route(FN, 0, Duration.ofSeconds(5), List.of(pod.endpoint())));
    activator =
        Activator.start(
                vertx, ActivatorSettings.defaults().withPorts(0, 0), routes, (k, w, s) -> {})
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    pod.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aGetOnAKeptConnectionThePodClosedBeforeAnsweringIsSentOnceMoreOnANewOne() throws Exception {
    try (Socket client = client()) {
      assertThat(exchange(client, "GET /default/echo/ HTTP/1.1\r\nHost: x\r\n\r\n"))
          .startsWith("HTTP/1.1 200");
      // The activator sends this one on the kept connection, which the pod closes unanswered.
      assertThat(exchange(client, "GET /default/echo/ HTTP/1.1\r\nHost: x\r\n\r\n"))
          .startsWith("HTTP/1.1 200");
      // And this one on the connection the resend opened, kept in turn: it must still take a
      // request (its encoder saw the whole of the resent one), which the pod again closes.
      assertThat(exchange(client, "GET /default/echo/ HTTP/1.1\r\nHost: x\r\n\r\n"))
          .startsWith("HTTP/1.1 200");
    }
    assertThat(pod.connections.get()).isEqualTo(3);
    assertThat(pod.answered.get()).isEqualTo(3);
  }

  @Test
  void aPostWithABodyIsNotSentAgainAndTheClientGets502() throws Exception {
    try (Socket client = client()) {
      assertThat(exchange(client, "GET /default/echo/ HTTP/1.1\r\nHost: x\r\n\r\n"))
          .startsWith("HTTP/1.1 200");
      assertThat(
              exchange(
                  client,
                  "POST /default/echo/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\norder"))
          .startsWith("HTTP/1.1 502")
          .contains("pod_error");
    }
    assertThat(pod.connections.get()).as("not sent again").isEqualTo(1);
  }

  private Socket client() throws IOException {
    Socket socket = new Socket("127.0.0.1", activator.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Writes a request and reads one answer: its head and body. */
  private static String exchange(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    return readMessage(socket.getInputStream());
  }

  /** One HTTP message with a Content-Length body (or none); "" when the peer closed first. */
  private static String readMessage(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1) {
      head.append((char) b);
    }
    Matcher length = LENGTH.matcher(head);
    if (length.find()) {
      head.append(
          new String(
              in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1));
    }
    return head.toString();
  }

  /**
   * A pod that answers the first request on each connection, keeps the connection, and closes it
   * without answering when a second request arrives on it.
   */
  private static final class ClosingPod implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    private final ServerSocket server;

    ClosingPod() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::accept, "closing-pod");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    Endpoint endpoint() {
      return new Endpoint("127.0.0.1", server.getLocalPort());
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket connection = server.accept();
          connections.incrementAndGet();
          Thread serving = new Thread(() -> serve(connection), "closing-pod-connection");
          serving.setDaemon(true);
          serving.start();
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void serve(Socket connection) {
      try (connection) {
        if (readMessage(connection.getInputStream()).isEmpty()) {
          return;
        }
        // Counted before the answer is written, so that the test, which reads the answer, sees it.
        answered.incrementAndGet();
        connection
            .getOutputStream()
            .write(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                    .getBytes(StandardCharsets.ISO_8859_1));
        readMessage(connection.getInputStream());
        // Closed unanswered by leaving the try.
      } catch (IOException e) {
        // the activator closed it
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
