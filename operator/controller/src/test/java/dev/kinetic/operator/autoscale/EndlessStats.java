package dev.kinetic.operator.autoscale;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code /stats} endpoint that streams a body without end, as anything answering on an
 * activator's port might: counts what it sent, and notes when the reader hung up.
 */
final class EndlessStats implements AutoCloseable {
  final AtomicLong sent = new AtomicLong();
  final CountDownLatch cut = new CountDownLatch(1);
  private final CountDownLatch stop = new CountDownLatch(1);
  private final HttpServer server;

  EndlessStats() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/stats",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          byte[] chunk = "{\"functions\":[".repeat(4096).getBytes(StandardCharsets.UTF_8);
          try (var out = exchange.getResponseBody()) {
            while (stop.getCount() > 0) {
              out.write(chunk);
              sent.addAndGet(chunk.length);
            }
          } catch (IOException hungUp) {
            cut.countDown();
          }
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port() + "/stats");
  }

  @Override
  public void close() {
    stop.countDown();
    server.stop(0);
  }
}
