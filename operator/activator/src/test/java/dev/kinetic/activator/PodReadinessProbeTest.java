package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.routes.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The activator's readiness probes, HTTP and TCP, against real servers on random ports. */
class PodReadinessProbeTest {
  private Vertx vertx;
  private PodReadinessProbe probe;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    probe = new PodReadinessProbe(vertx, Duration.ofMillis(500));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Endpoint serving(int status) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .response()
                        .setStatusCode("/readyz".equals(request.path()) ? status : 404)
                        .end())
            .listen(0)
            .await(10, TimeUnit.SECONDS);
    return new Endpoint("127.0.0.1", server.actualPort());
  }

  private boolean ask(Endpoint endpoint) throws Exception {
    return probe
        .ready(endpoint, Optional.of("/readyz"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private boolean connects(Endpoint endpoint) throws Exception {
    return probe.ready(endpoint, Optional.empty()).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void statusesFrom200To399AreReadyAsForTheKubelet() throws Exception {
    assertThat(ask(serving(200))).isTrue();
    assertThat(ask(serving(302))).isTrue();
    assertThat(ask(serving(503))).isFalse();
    assertThat(ask(serving(404))).isFalse();
  }

  /** An address where nothing listens (a port just freed). */
  private static Endpoint nothingListening() throws Exception {
    try (ServerSocket closed = new ServerSocket(0)) {
      return new Endpoint("127.0.0.1", closed.getLocalPort());
    }
  }

  @Test
  void nothingListeningIsNotReady() throws Exception {
    assertThat(ask(nothingListening())).isFalse();
  }

  @Test
  void withoutAPathAnyServerThatAcceptsAConnectionIsReadyWhateverItWouldAnswer() throws Exception {
    assertThat(connects(serving(404))).as("a server with no health path at all").isTrue();
    assertThat(connects(nothingListening())).isFalse();
  }

  @Test
  void aTcpCheckClosesTheConnectionItOpened() throws Exception {
    java.util.concurrent.atomic.AtomicInteger open =
        new java.util.concurrent.atomic.AtomicInteger();
    var server =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  open.incrementAndGet();
                  socket.closeHandler(v -> open.decrementAndGet());
                })
            .listen(0)
            .await(10, TimeUnit.SECONDS);
    assertThat(connects(new Endpoint("127.0.0.1", server.actualPort()))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> open.get() == 0);
  }

  @Test
  void aPodThatNeverAnswersIsNotReadyWhenTheProbeTimesOut() throws Exception {
    try (Backend silent = Backend.silent(vertx)) {
      assertThat(ask(silent.endpoint())).isFalse();
    }
  }

  @Test
  void anEndlessBodyDoesNotHoldTheProbe() throws Exception {
    try (Backend endless = Backend.endless(vertx)) {
      assertThat(ask(endless.endpoint())).isTrue();
      // The probe hangs up once it has the status: the server stops writing.
      await().atMost(Duration.ofSeconds(5)).until(() -> endless.inFlight.get() == 0);
    }
  }
}
