package dev.kinetic.operator.routing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * An activator's admin port as the route probe sees it: {@code /routes/<namespace>/<name>} answers
 * the version the test says this activator routes by, 404 for any other Function, or nothing at all
 * while it is {@link #silent()}, or half an answer while it {@link #stallsInTheBody()}. Everything
 * else is 404, so an autoscaler that asks it for {@code /stats} gets no sample.
 */
public final class FakeActivator implements AutoCloseable {
  private final Map<String, String> routes = new ConcurrentHashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean silent;
  private volatile boolean stallsInTheBody;
  private volatile boolean beforeRoutes;
  private final HttpServer server;

  public FakeActivator() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (silent) {
            awaitClose();
          }
          if (stallsInTheBody) {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write('{');
            exchange.getResponseBody().flush();
            awaitClose();
            exchange.close();
            return;
          }
          String body = path.startsWith("/routes/") ? routes.get(path.substring(8)) : null;
          // An activator from before /routes knows no such page: 404 without a body.
          byte[] bytes =
              (body == null ? (beforeRoutes ? "" : "{\"error\":\"no_function\"}") : body)
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(
              body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
          try (var out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  /** From now on this activator routes that Function at that version. */
  public FakeActivator routes(String namespace, String name, String uid, long generation) {
    routes.put(
        namespace + "/" + name,
        "{\"namespace\":\""
            + namespace
            + "\",\"name\":\""
            + name
            + "\",\"uid\":\""
            + uid
            + "\",\"generation\":"
            + generation
            + "}");
    return this;
  }

  /** From now on it answers this body, whatever it is, for that Function. */
  FakeActivator answers(String namespace, String name, String body) {
    routes.put(namespace + "/" + name, body);
    return this;
  }

  /** It answers as an activator of a version before {@code /routes} would. */
  FakeActivator beforeRoutes() {
    beforeRoutes = true;
    return this;
  }

  /** It accepts connections and never answers (until closed). */
  public FakeActivator silent() {
    silent = true;
    return this;
  }

  /** It answers a head and the first byte of a body, and nothing more (until closed). */
  FakeActivator stallsInTheBody() {
    stallsInTheBody = true;
    return this;
  }

  private void awaitClose() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public URI admin() {
    return URI.create("http://127.0.0.1:" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }
}
