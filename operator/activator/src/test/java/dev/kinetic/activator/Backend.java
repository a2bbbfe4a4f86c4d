package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on a random port standing in for a function's pod; counts what it sees. */
final class Backend implements AutoCloseable {
  final AtomicInteger received = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger peak = new AtomicInteger();
  // The connections requests came on, where a behaviour records them.
  final Set<Object> connections = ConcurrentHashMap.newKeySet();
  // Requests a behaviour holds until the test lets them go.
  final Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
  private final HttpServer server;

  private Backend(HttpServer server) {
    this.server = server;
  }

  /** Answers after {@code delayMs}, echoing what it received in headers. */
  static Backend slow(Vertx vertx, long delayMs) throws Exception {
    return slowOn(vertx, delayMs, 0);
  }

  /** {@link #slow} on a given port (0: any free one). */
  static Backend slowOn(Vertx vertx, long delayMs, int port) throws Exception {
    return start(
        vertx,
        port,
        (backend, request) -> {
          Runnable answer =
              () -> {
                backend.inFlight.decrementAndGet();
                request
                    .response()
                    .putHeader("X-Seen-Path", request.uri())
                    .putHeader(
                        "X-Seen-Forwarded-Host",
                        String.valueOf(request.getHeader("X-Forwarded-Host")))
                    .putHeader(
                        "X-Seen-Traceparent", String.valueOf(request.getHeader("traceparent")))
                    .putHeader(
                        "X-Seen-Request-Id", String.valueOf(request.getHeader("X-Request-Id")))
                    .putHeader(
                        "X-Seen-Connection-Token",
                        String.valueOf(request.getHeader("X-Secret-Hop")))
                    .end("ok");
              };
          request
              .body()
              .onComplete(
                  body -> {
                    request.response().putHeader("X-Seen-Body", body.result().toString());
                    if (delayMs == 0) {
                      answer.run();
                    } else {
                      vertx.setTimer(delayMs, id -> answer.run());
                    }
                  });
        });
  }

  /**
   * Answers at once with a chunked body that never ends: a chunk every 20 ms while anyone reads.
   */
  static Backend endless(Vertx vertx) throws Exception {
    return start(
        vertx,
        (backend, request) -> {
          var response = request.response().setChunked(true);
          response.write("first chunk\n");
          vertx.setPeriodic(
              20,
              id -> {
                if (response.closed()) {
                  vertx.cancelTimer(id);
                  backend.inFlight.decrementAndGet();
                } else {
                  response.write("more\n");
                }
              });
        });
  }

  /**
   * Answers its first request at once and never another: for a response timeout on a connection
   * kept from an earlier exchange. Counts the connections it was asked on ({@link #connections}).
   */
  static Backend answersOnce(Vertx vertx) throws Exception {
    return start(
        vertx,
        (backend, request) -> {
          backend.connections.add(request.connection());
          if (backend.received.get() == 1) {
            backend.inFlight.decrementAndGet();
            request.response().end("ok");
          }
        });
  }

  /**
   * Accepts WebSocket upgrades: says {@code hello <X-Forwarded-Host>} at once, then echoes each
   * message, text or binary, and closes (status 1000) when told {@code bye}. Refuses the upgrade on
   * {@code /refuse} with 403; answers a plain request 200 with the Upgrade header it saw. {@link
   * #inFlight} counts open sockets.
   */
  static Backend webSockets(Vertx vertx) throws Exception {
    return start(
        vertx,
        (backend, request) -> {
          if (request.path().equals("/refuse") || request.getHeader("Upgrade") == null) {
            backend.inFlight.decrementAndGet();
            request
                .response()
                .setStatusCode(request.path().equals("/refuse") ? 403 : 200)
                .putHeader("X-Seen-Upgrade", String.valueOf(request.getHeader("Upgrade")))
                .end("plain");
            return;
          }
          request
              .toWebSocket()
              .onSuccess(
                  socket -> {
                    socket.closeHandler(closed -> backend.inFlight.decrementAndGet());
                    socket.writeTextMessage("hello " + request.getHeader("X-Forwarded-Host"));
                    socket.textMessageHandler(
                        text -> {
                          if (text.equals("bye")) {
                            socket.close();
                          } else {
                            socket.writeTextMessage(text);
                          }
                        });
                    socket.binaryMessageHandler(socket::writeBinaryMessage);
                  });
        });
  }

  /**
   * Holds each request until {@link #answerOldest} and counts it in flight until then, as a
   * function does that keeps working after its caller left (the JDK's server never tells it).
   * Records the connections it was asked on.
   */
  static Backend held(Vertx vertx) throws Exception {
    return start(
        vertx,
        (backend, request) -> {
          backend.connections.add(request.connection());
          backend.held.add(request);
        });
  }

  /** Answers the oldest request {@link #held} holds: 200 "ok", whether or not anyone listens. */
  void answerOldest() {
    HttpServerRequest request = held.remove();
    inFlight.decrementAndGet();
    request.response().end("ok");
  }

  /** Never answers: for response timeouts. */
  static Backend silent(Vertx vertx) throws Exception {
    return start(vertx, (backend, request) -> {});
  }

  interface Behaviour {
    void handle(Backend backend, HttpServerRequest request);
  }

  private static Backend start(Vertx vertx, Behaviour behaviour) throws Exception {
    return start(vertx, 0, behaviour);
  }

  private static Backend start(Vertx vertx, int port, Behaviour behaviour) throws Exception {
    Backend[] self = new Backend[1];
    Handler<HttpServerRequest> handler =
        request -> {
          Backend b = self[0];
          b.received.incrementAndGet();
          int now = b.inFlight.incrementAndGet();
          b.peak.accumulateAndGet(now, Math::max);
          behaviour.handle(b, request);
        };
    HttpServer server =
        vertx.createHttpServer().requestHandler(handler).listen(port).await(10, TimeUnit.SECONDS);
    self[0] = new Backend(server);
    return self[0];
  }

  Endpoint endpoint() {
    return new Endpoint("127.0.0.1", server.actualPort());
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
