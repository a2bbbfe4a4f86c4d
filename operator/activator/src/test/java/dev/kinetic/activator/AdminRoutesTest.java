package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.RouteVersion;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.spi.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin port's {@code /routes/<namespace>/<name>}: what the operator asks before Ready. */
class AdminRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<FunctionKey, RouteVersion> known = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private EventLoopGroup group;
  private AdminServer server;

  @BeforeEach
  void start() {
    Transport transport = io.vertx.core.transport.Transport.NIO.implementation();
    group =
        transport.eventLoopGroup(
            Transport.IO_EVENT_LOOP_GROUP, 1, new DefaultThreadFactory("admin-test", true), 0);
    server =
        AdminServer.start(
                group,
                transport,
                0,
                new AdminServer.Pages(
                    () -> "{}", () -> "", key -> Optional.ofNullable(known.get(key))))
            .join();
  }

  @AfterEach
  void stop() {
    server.close().join();
    group
        .shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
  }

  @Test
  void aKnownFunctionIsAnsweredWithTheVersionItIsRoutedBy() throws Exception {
    known.put(
        new FunctionKey("team-a", "hello"),
        new RouteVersion("uid-1", 3, List.of("api.example.com", "www.example.com")));

    HttpResponse<String> answer = get("/routes/team-a/hello");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("namespace").asText()).isEqualTo("team-a");
    assertThat(body.path("name").asText()).isEqualTo("hello");
    assertThat(body.path("uid").asText()).isEqualTo("uid-1");
    assertThat(body.path("generation").asLong()).isEqualTo(3);
    assertThat(body.path("domains"))
        .extracting(JsonNode::asText)
        .containsExactly("api.example.com", "www.example.com");
  }

  @Test
  void anUnknownFunctionIs404WithAJsonReason() throws Exception {
    known.put(new FunctionKey("team-a", "hello"), new RouteVersion("uid-1", 3, List.of()));

    HttpResponse<String> answer = get("/routes/team-b/hello");

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.headers().firstValue("content-type")).contains("application/json");
    assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo("no_function");
  }

  @Test
  void aPathWithoutNamespaceAndNameIs400WithAJsonReason() throws Exception {
    for (String path : new String[] {"/routes/hello", "/routes/a/b/c", "/routes//hello"}) {
      HttpResponse<String> answer = get(path);

      assertThat(answer.statusCode()).as(path).isEqualTo(400);
      assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo("bad_path");
    }
  }

  @Test
  void withoutVersionsEveryFunctionIsUnknown() throws Exception {
    server.close().join();
    server =
        AdminServer.start(
                group,
                io.vertx.core.transport.Transport.NIO.implementation(),
                0,
                new AdminServer.Pages(() -> "{}", () -> "", key -> Optional.empty()))
            .join();

    assertThat(get("/routes/team-a/hello").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
