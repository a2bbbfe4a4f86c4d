package dev.kinetic.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.kinetic.function.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Prometheus metrics on their own port, so a function's own paths never collide with them and a
 * NetworkPolicy can open the port to the scraper only.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static MetricsServer start(int port, MicrometerMetrics metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on metrics port " + port, e);
    }
    server.setExecutor(
        Executors.newSingleThreadExecutor(FunctionHost.daemonThreads("kinetic-metrics")));
    server.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            Response scrape =
                Response.status(200)
                    .withBody(
                        metrics.scrape().getBytes(StandardCharsets.UTF_8),
                        "text/plain; version=0.0.4; charset=utf-8");
            FunctionHandler.send(exchange, scrape, "metrics");
          }
        });
    server.start();
    return new MetricsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
