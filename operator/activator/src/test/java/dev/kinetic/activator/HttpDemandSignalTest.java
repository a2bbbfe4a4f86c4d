package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kinetic.routes.FunctionKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demand sender against a real HTTP server standing in for the autoscaler. */
class HttpDemandSignalTest {
  private static final FunctionKey HELLO = new FunctionKey("default", "hello");

  private Vertx vertx;
  private HttpServer autoscaler;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> unanswered = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    autoscaler =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              received.add(body.toJsonObject());
                              unanswered.add(request);
                            }))
            .listen(0)
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void oneSignalPerFunctionIsOnItsWayAtATime() {
    HttpDemandSignal signal = new HttpDemandSignal(vertx, url(), Duration.ofSeconds(5));

    for (int i = 1; i <= 50; i++) {
      signal.demand(HELLO, i, 0);
    }
    signal.demand(new FunctionKey("shop", "cart"), 2, 0);

    await().until(() -> received.size() == 2);
    assertThat(received)
        .extracting(
            j ->
                j.getString("namespace")
                    + "/"
                    + j.getString("name")
                    + " "
                    + j.getInteger("waiting"))
        .containsExactlyInAnyOrder("default/hello 1", "shop/cart 2");

    unanswered.forEach(r -> r.response().setStatusCode(200).end("{\"outcome\":\"SCALED\"}"));
    await().until(() -> signal.pending() == 0);
    signal.demand(HELLO, 7, 3);
    await().until(() -> received.size() == 3);
    assertThat(received.get(2).getInteger("waiting")).isEqualTo(7);
    assertThat(received.get(2).getInteger("seenPods")).isEqualTo(3);
  }

  @Test
  void anUnreachableAutoscalerClearsThePendingSignalSoTheNextOneTriesAgain() throws Exception {
    int port = autoscaler.actualPort();
    autoscaler.close().await(10, TimeUnit.SECONDS);
    HttpDemandSignal signal =
        new HttpDemandSignal(
            vertx,
            URI.create("http://127.0.0.1:" + port + "/autoscaler/demand"),
            Duration.ofSeconds(2));

    signal.demand(HELLO, 1, 0);

    await().until(() -> signal.pending() == 0);
    assertThat(received).isEmpty();
  }

  @Test
  void anAnswerThatNeverEndsFreesThePendingSignalAfterTheTimeout() throws Exception {
    // Headers at once, then a byte every 50 ms for ever: never silent for the idle timeout.
    java.util.concurrent.atomic.AtomicInteger open =
        new java.util.concurrent.atomic.AtomicInteger();
    HttpServer trickling =
        vertx
            .createHttpServer()
            .connectionHandler(
                connection -> {
                  open.incrementAndGet();
                  connection.closeHandler(v -> open.decrementAndGet());
                })
            .requestHandler(
                request -> {
                  if (request.method() != io.vertx.core.http.HttpMethod.POST) {
                    request.response().end(); // the constructor's warm-up HEAD
                    return;
                  }
                  received.add(new JsonObject());
                  var response = request.response().setChunked(true);
                  response.write(" ");
                  vertx.setPeriodic(
                      50,
                      id -> {
                        if (response.closed()) {
                          vertx.cancelTimer(id);
                        } else {
                          response.write(" ");
                        }
                      });
                })
            .listen(0)
            .await(10, TimeUnit.SECONDS);
    HttpDemandSignal signal =
        new HttpDemandSignal(
            vertx,
            URI.create("http://127.0.0.1:" + trickling.actualPort() + "/autoscaler/demand"),
            Duration.ofMillis(500));

    signal.demand(HELLO, 1, 0);
    await().until(() -> received.size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> signal.pending() == 0);
    signal.demand(HELLO, 2, 0);
    await().until(() -> received.size() == 2);
    // Each was reset at its timeout: no connection is left streaming to the signal's client.
    await().atMost(Duration.ofSeconds(5)).until(() -> signal.pending() == 0);
    await().until(() -> open.get() == 0);
  }

  @Test
  void onlyAPlainHttpUrlIsAccepted() {
    assertThatThrownBy(
            () ->
                new HttpDemandSignal(
                    vertx, URI.create("https://x/autoscaler/demand"), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://host");
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + autoscaler.actualPort() + "/autoscaler/demand");
  }
}
