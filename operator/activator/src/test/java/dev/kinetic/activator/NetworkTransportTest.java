package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkTransportTest {
  private static final Transport URING = new Fake("io_uring", false);
  private static final Transport EPOLL = new Fake("epoll", true);
  private static final Transport NIO = new Fake("nio", true);
  private static final List<Transport> KNOWN = List.of(URING, EPOLL, NIO);

  @Test
  void autoTakesTheFirstTransportThisMachineAllows() {
    assertThat(NetworkTransport.choose("auto", KNOWN)).isSameAs(EPOLL);
    assertThat(NetworkTransport.choose(null, KNOWN)).as("unset is auto").isSameAs(EPOLL);
    assertThat(NetworkTransport.choose(" ", KNOWN)).isSameAs(EPOLL);
    assertThat(NetworkTransport.choose("auto", List.of(new Fake("io_uring", true), EPOLL)).name())
        .isEqualTo("io_uring");
  }

  @Test
  void aNamedTransportIsUsedWhenAvailable() {
    assertThat(NetworkTransport.choose("NIO", KNOWN)).isSameAs(NIO);
    assertThat(NetworkTransport.choose("epoll", KNOWN)).isSameAs(EPOLL);
  }

  @Test
  void aNamedTransportThatIsNotAvailableStopsTheStartWithItsCause() {
    assertThatThrownBy(() -> NetworkTransport.choose("io_uring", KNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KINETIC_ACTIVATOR_TRANSPORT=io_uring is not available here")
        .hasMessageContaining("io_uring_setup refused");
  }

  @Test
  void anUnknownNameListsTheChoices() {
    assertThatThrownBy(() -> NetworkTransport.choose("kqueue", KNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "KINETIC_ACTIVATOR_TRANSPORT must be one of auto, io_uring, epoll, nio, got 'kqueue'");
  }

  /** The real transports: each one this machine has proxies a request end to end. */
  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void everyTransportThisMachineHasProxiesARequest(String name) throws Exception {
    Transport transport =
        NetworkTransport.known().stream()
            .filter(t -> t.name().equalsIgnoreCase(name))
            .findFirst()
            .orElse(null);
    assumeThat(transport != null && transport.available())
        .as(name + " is not available on this machine")
        .isTrue();
    Vertx vertx =
        NetworkTransport.vertx(Map.of(NetworkTransport.SETTING, name), new VertxOptions());
    try {
      Backend pod = Backend.slow(vertx, 0);
      LocalRouteTable routes = new LocalRouteTable();
      FunctionKey key = new FunctionKey("default", "echo");
      routes.put(new Route(key, 1, Duration.ofSeconds(5), List.of(pod.endpoint())));
      Activator activator =
          Activator.start(
                  vertx,
                  ActivatorSettings.defaults().withPorts(0, 0),
                  routes,
                  (k, waiting, seen) -> {})
              .await(10, TimeUnit.SECONDS);
      // Held in a variable: Vert.x closes a client nothing refers to any more.
      HttpClient client = vertx.createHttpClient();
      for (int i = 0; i < 3; i++) {
        HttpClientResponse response =
            client
                .request(HttpMethod.GET, activator.port(), "127.0.0.1", "/default/echo/x")
                .compose(r -> r.send())
                .await(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("X-Seen-Path")).isEqualTo("/x");
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A transport whose availability the test decides. */
  private record Fake(String name, boolean available) implements Transport {
    @Override
    public Throwable unavailabilityCause() {
      return available ? null : new UnsupportedOperationException("io_uring_setup refused");
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
      throw new UnsupportedOperationException("a fake only says whether it is available");
    }
  }
}
