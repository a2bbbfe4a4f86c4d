package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy measures on the clock it is given: a wait is what that clock says, not the wall's. */
class ActivatorClockTest {
  private static final FunctionKey HELLO = new FunctionKey("default", "hello");
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aColdRequestsWaitIsMeasuredOnTheInjectedClock() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    LocalRouteTable routes = new LocalRouteTable();
    routes.put(new Route(HELLO, 1, Duration.ofSeconds(30), List.of()));
    List<FunctionKey> demands = new CopyOnWriteArrayList<>();
    Activator activator =
        Activator.start(
                vertx,
                ActivatorSettings.defaults().withPorts(0, 0),
                routes,
                (key, waiting, seen) -> demands.add(key),
                Peers.ALONE,
                now::get)
            .await(10, TimeUnit.SECONDS);
    HttpClientAgent client = vertx.createHttpClient();
    try (Backend pod = Backend.slow(vertx, 0)) {
      Future<Integer> answer =
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.GET)
                      .setHost("127.0.0.1")
                      .setPort(activator.port())
                      .setURI("/default/hello/"))
              .compose(request -> request.send())
              .compose(response -> response.end().map(v -> response.statusCode()));
      await().until(() -> !demands.isEmpty());

      now.addAndGet(Duration.ofSeconds(7).toNanos());
      routes.put(new Route(HELLO, 1, Duration.ofSeconds(30), List.of(pod.endpoint())));

      assertThat(answer.await(10, TimeUnit.SECONDS)).isEqualTo(200);
    }
    String metrics =
        client
            .request(HttpMethod.GET, activator.adminPort(), "127.0.0.1", "/metrics")
            .compose(request -> request.send())
            .compose(response -> response.body())
            .await(10, TimeUnit.SECONDS)
            .toString();
    Matcher sum =
        Pattern.compile(
                "kinetic_activator_wait_seconds_sum\\{cold_start=\"true\",function=\"default/hello\"\\} (\\S+)")
            .matcher(metrics);
    assertThat(sum.find()).as(metrics).isTrue();
    assertThat(Double.parseDouble(sum.group(1))).isEqualTo(7.0);
  }
}
