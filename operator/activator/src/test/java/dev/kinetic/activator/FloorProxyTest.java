package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.epoll.Epoll;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmark's floors must do the work their row claims, or the figures beside the activator's
 * would flatter them: the head-forwarding one really rewrites the path and adds the headers.
 */
class FloorProxyTest {
  private Vertx vertx;
  private Backend backend;
  // HTTP/1.1 only: the default asks the backend (Vert.x) to upgrade to h2c, which no floor speaks.
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void setUp() throws Exception {
    assumeThat(Epoll.isAvailable()).as("the floors run on epoll, as the activator does").isTrue();
    vertx = Vertx.vertx();
    backend = Backend.slow(vertx, 0);
  }

  @AfterEach
  void tearDown() throws Exception {
    backend.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(
      value = FloorProxy.Mode.class,
      names = {"HEADS", "CODEC", "JETTY"})
  void rewritesThePathAndAddsTheForwardingHeadersBothWays(FloorProxy.Mode mode) throws Exception {
    try (FloorProxy proxy = FloorProxy.start(mode, 0, backend.endpoint().port(), "/bench/hello")) {
      for (int i = 0; i < 3; i++) { // on one connection: each request's own id comes back
        HttpResponse<String> response = get(proxy, "/bench/hello/x?y=" + i);

        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("X-Seen-Path")).hasValue("/x?y=" + i);
        assertThat(response.headers().firstValue("X-Seen-Traceparent").orElseThrow())
            .matches(Headers::isTraceparent);
        String id = response.headers().firstValue("X-Seen-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(response.headers().firstValue("x-request-id")).hasValue(id);
      }
    }
  }

  /**
   * The jetty floor frames what it forwards: a body is read as the body (the next request on the
   * connection is still found), and a request the parser refuses is not passed on.
   */
  @Test
  void theJettyFloorFramesBodiesAndRefusesAmbiguousFraming() throws Exception {
    try (FloorProxy proxy =
        FloorProxy.start(FloorProxy.Mode.JETTY, 0, backend.endpoint().port(), "/bench/hello")) {
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + proxy.port() + "/bench/hello/p"))
                  .POST(HttpRequest.BodyPublishers.ofString("a body of some length"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.headers().firstValue("X-Seen-Path")).hasValue("/p");
      assertThat(get(proxy, "/bench/hello/after").headers().firstValue("X-Seen-Path"))
          .hasValue("/after");

      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                ("POST /bench/hello/x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(socket.getInputStream().read()).as("closed, nothing answered").isEqualTo(-1);
      }
    }
  }

  @Test
  void bytesModePassesEverythingOnAsItIs() throws Exception {
    try (FloorProxy proxy =
        FloorProxy.start(FloorProxy.Mode.BYTES, 0, backend.endpoint().port(), "/bench/hello")) {
      HttpResponse<String> response = get(proxy, "/bench/hello/x");

      assertThat(response.body()).isEqualTo("ok");
      assertThat(response.headers().firstValue("X-Seen-Path")).hasValue("/bench/hello/x");
      assertThat(response.headers().firstValue("X-Seen-Request-Id")).hasValue("null");
    }
  }

  @Test
  void aHeadEndsAtItsFirstEmptyLineOnlyWhenItIsAllThere() {
    ByteBuf whole = ascii("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody");
    ByteBuf partial = ascii("GET / HTTP/1.1\r\nHost: a\r\n");
    try {
      assertThat(FloorProxy.headEnd(whole)).isEqualTo(whole.readableBytes() - "body".length());
      assertThat(FloorProxy.headEnd(partial)).isEqualTo(-1);
    } finally {
      whole.release();
      partial.release();
    }
  }

  private HttpResponse<String> get(FloorProxy proxy, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }
}
