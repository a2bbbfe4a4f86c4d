package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.visibility: a ClusterLocal function answers on the activator's port for the cluster and does
 * not exist on its public port, whichever name a request gives it. Real sockets, no mocks.
 */
class VisibilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FunctionKey ECHO = new FunctionKey("default", "echo");

  private Vertx vertx;
  private LocalRouteTable routes;
  private List<FunctionKey> demands;
  private Activator activator;
  private HttpClient client;
  private Backend pod;

  @BeforeEach
  void start() throws Exception {
    vertx = NetworkTransport.vertx(Map.of(), new VertxOptions());
    routes = new LocalRouteTable();
    demands = new CopyOnWriteArrayList<>();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    activator =
        Activator.start(
                vertx,
                ActivatorSettings.defaults().withPorts(0, 0, 0),
                routes,
                (key, waiting, seen) -> demands.add(key))
            .await(10, TimeUnit.SECONDS);
    pod = Backend.slow(vertx, 0);
  }

  @AfterEach
  void stop() throws Exception {
    if (pod != null) {
      pod.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Route route(boolean clusterLocal, Endpoint... ready) {
    return new Route(ECHO, 0, Duration.ofSeconds(5), List.of(ready)).withClusterLocal(clusterLocal);
  }

  private record Reply(int status, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  private Reply get(int port, String host, String uri) throws Exception {
    return client
        .request(
            new RequestOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(uri)
                .setMethod(HttpMethod.GET)
                .putHeader("Host", host)
                .setTimeout(10_000))
        // The body's handler is set as the head arrives: a continuation chained further out can
        // run after a short answer has ended, and read an empty body (seen once in 300 runs).
        .compose(
            r -> r.send().compose(a -> a.body().map(b -> new Reply(a.statusCode(), b.toString()))))
        .await(10, TimeUnit.SECONDS);
  }

  /** Every name a request may give the function: Host under the domain, Service, path, domain. */
  private static final List<List<String>> NAMES =
      List.of(
          List.of("echo.default.fn.local", "/a"),
          List.of("echo.default.svc.cluster.local", "/a"),
          List.of("echo.default.svc", "/a"),
          List.of("echo.default", "/a"),
          List.of("laptop.local", "/default/echo/a"),
          List.of("echo.example.com", "/a"));

  @Test
  void aClusterLocalFunctionAnswersInsideAndIsNoFunctionOutsideByEveryName() throws Exception {
    routes.domains(Map.of("echo.example.com", ECHO));
    routes.put(route(true, pod.endpoint()));
    assertThat(activator.publicPort()).isPositive().isNotEqualTo(activator.port());

    assertThat(activator.publicPort()).isNotEqualTo(activator.adminPort());
    for (List<String> name : NAMES) {
      Reply inside = get(activator.port(), name.get(0), name.get(1));
      assertThat(inside.status()).as("inside, %s", name).isEqualTo(200);
    }
    assertThat(pod.received).hasValue(NAMES.size());

    for (List<String> name : NAMES) {
      Reply outside = get(activator.publicPort(), name.get(0), name.get(1));
      assertThat(outside.status()).as("outside, %s: %s", name, outside.body()).isEqualTo(404);
      assertThat(outside.json().path("error").asText())
          .as("outside, %s: %s", name, outside.body())
          .isEqualTo("no_function");
    }
    assertThat(pod.received).as("nothing from outside reached the pod").hasValue(NAMES.size());
  }

  @Test
  void fromOutsideItIsAnsweredAsANameNoFunctionHas() throws Exception {
    routes.put(route(true, pod.endpoint()));

    Reply local = get(activator.publicPort(), "laptop.local", "/default/echo/a");
    Reply none = get(activator.publicPort(), "laptop.local", "/default/nothing/a");

    assertThat(local.json().path("message").asText()).isEqualTo("no function default/echo");
    assertThat(none.json().path("message").asText()).isEqualTo("no function default/nothing");
  }

  @Test
  void aPublicFunctionAnswersOnBothPorts() throws Exception {
    routes.put(route(false, pod.endpoint()));

    assertThat(get(activator.port(), "echo.default.fn.local", "/a").status()).isEqualTo(200);
    assertThat(get(activator.publicPort(), "echo.default.fn.local", "/a").status()).isEqualTo(200);
    assertThat(get(activator.publicPort(), "laptop.local", "/default/echo/a").status())
        .isEqualTo(200);
  }

  @Test
  void aClusterLocalFunctionAtZeroIsNotWokenFromOutside() throws Exception {
    routes.put(route(true));

    assertThat(get(activator.publicPort(), "echo.default.fn.local", "/a").status()).isEqualTo(404);

    assertThat(demands).as("no pod asked for").isEmpty();
  }

  @Test
  void aChangedVisibilityHoldsForTheNextRequest() throws Exception {
    routes.put(route(false, pod.endpoint()));
    assertThat(get(activator.publicPort(), "echo.default.fn.local", "/a").status()).isEqualTo(200);

    routes.put(route(true, pod.endpoint()));
    assertThat(get(activator.publicPort(), "echo.default.fn.local", "/a").status()).isEqualTo(404);

    routes.put(route(false, pod.endpoint()));
    assertThat(get(activator.publicPort(), "echo.default.fn.local", "/a").status()).isEqualTo(200);
  }
}
