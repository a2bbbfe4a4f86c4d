package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cold start through the activator with its own probing: the route table below never says the pod
 * is ready (as before the kubelet's probe has passed), and the request waiting at zero is answered
 * once the activator's probe finds the pod ready.
 */
class ProbingActivatorTest {
  private static final FunctionKey HELLO = new FunctionKey("default", "hello");

  private Vertx vertx;
  private final AtomicBoolean podReady = new AtomicBoolean();
  private final AtomicInteger readinessAsked = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private Endpoint pod;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if ("/readyz".equals(request.path())) {
                    readinessAsked.incrementAndGet();
                    request.response().setStatusCode(podReady.get() ? 200 : 503).end();
                  } else {
                    served.incrementAndGet();
                    request.response().end("hello");
                  }
                })
            .listen(0)
            .await(10, TimeUnit.SECONDS);
    pod = new Endpoint("127.0.0.1", server.actualPort());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aRequestAtZeroGoesToTheStartingPodOnceTheActivatorsProbeFindsItReady() throws Exception {
    LocalRouteTable slices = new LocalRouteTable();
    slices.put(new Route(HELLO, 1, Duration.ofSeconds(30), List.of()));
    List<FunctionKey> demands = new CopyOnWriteArrayList<>();
    ProbingRouteTable routes =
        ProbingRouteTable.overNetwork(
            vertx,
            slices,
            new ProbeSettings(
                Duration.ofMillis(20), Duration.ofSeconds(30), Duration.ofSeconds(1)));
    Activator activator =
        Activator.start(
                vertx,
                ActivatorSettings.defaults().withPorts(0, 0),
                routes,
                (key, waiting, seen) -> demands.add(key))
            .await(10, TimeUnit.SECONDS);
    HttpClientAgent client = vertx.createHttpClient();

    Future<Integer> answer =
        client
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setPort(activator.port())
                    .setHost("127.0.0.1")
                    .setURI("/default/hello/")
                    .setTimeout(30_000))
            .compose(request -> request.send())
            .compose(response -> response.end().map(v -> response.statusCode()));
    await().until(() -> !demands.isEmpty());
    // The pod has its address but is not ready: it is probed, and nothing is sent to it.
    slices.put(
        new Route(
            HELLO,
            1,
            Duration.ofSeconds(30),
            List.of(),
            Optional.empty(),
            List.of(pod),
            Optional.of("/readyz"),
            false));
    await().until(() -> readinessAsked.get() >= 3);
    assertThat(served).hasValue(0);
    assertThat(answer.isComplete()).isFalse();

    podReady.set(true);

    assertThat(answer.await(10, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(served).hasValue(1);
    assertThat(slices.route(HELLO).orElseThrow().ready())
        .as("the table below still says not ready")
        .isEmpty();
    assertThat(routes.route(HELLO).orElseThrow().ready()).containsExactly(pod);
  }
}
