package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the activator as a process with static routes loads: its memory goal (docs/activator.md
 * #memory) rests on it not loading an HTTP server or client besides its own Netty pipelines, nor
 * Jackson's databind, each several hundred classes of metadata. Its admin port still answers.
 */
class ActivatorFootprintIT {
  private HttpServer backend;
  private ActivatorProcess activator;

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    backend.start();
    activator =
        ActivatorProcess.start(
            List.of("-Xlog:class+load=info"),
            Map.of(
                "KINETIC_ACTIVATOR_ROUTES",
                "default/small=127.0.0.1:" + backend.getAddress().getPort() + ";timeout=10"));
  }

  @AfterEach
  void stop() throws Exception {
    activator.close();
    backend.stop(0);
  }

  @Test
  void withStaticRoutesItLoadsNoVertxHttpNorDatabindAndItsAdminPortAnswers() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> proxied = get(client, activator.uri("/default/small/"));
    assertThat(proxied.statusCode()).isEqualTo(200);
    assertThat(proxied.body()).isEqualTo("hello");

    HttpResponse<String> stats = get(client, activator.admin("/stats"));
    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode function = new ObjectMapper().readTree(stats.body()).path("functions").path(0);
    assertThat(function.path("name").asText()).isEqualTo("small");
    assertThat(function.path("readyPods").asInt()).isEqualTo(1);
    assertThat(function.path("requests").asLong()).isEqualTo(1);
    HttpResponse<String> metrics = get(client, activator.admin("/metrics"));
    assertThat(metrics.body())
        .contains("kinetic_activator_requests_total{function=\"default/small\"}");
    assertThat(get(client, activator.admin("/nothing-here")).statusCode()).isEqualTo(404);

    String loaded = activator.log();
    assertThat(loaded).as("the class-loading log").contains("dev.kinetic.activator.AdminServer");
    assertThat(loaded).doesNotContain("io.vertx.core.http.", "com.fasterxml.jackson.databind.");
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
