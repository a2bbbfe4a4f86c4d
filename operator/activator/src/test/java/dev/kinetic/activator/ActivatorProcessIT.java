package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged activator as a process with a 64 MiB heap, streaming 1 GiB each way. Buffering a
 * body anywhere would end in OutOfMemoryError; the process must stay up and every byte arrive.
 */
class ActivatorProcessIT {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final int CHUNK = 64 * 1024;

  private Vertx vertx;
  private HttpServer backend;
  private ActivatorProcess activator;
  private final AtomicLong uploaded = new AtomicLong();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    backend =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  if (request.path().equals("/download")) {
                    HttpServerResponse response = request.response().setChunked(true);
                    stream(response, GIB, Buffer.buffer(new byte[CHUNK]));
                  } else {
                    AtomicLong count = new AtomicLong();
                    request.handler(chunk -> count.addAndGet(chunk.length()));
                    request.endHandler(
                        v -> {
                          uploaded.set(count.get());
                          request.response().end(Long.toString(count.get()));
                        });
                  }
                })
            .listen(0)
            .await(10, TimeUnit.SECONDS);
    activator =
        ActivatorProcess.start(
            List.of("-Xmx64m", "-XX:+UseSerialGC"),
            Map.of(
                "KINETIC_ACTIVATOR_ROUTES",
                "default/big=127.0.0.1:" + backend.actualPort() + ";timeout=300"));
  }

  @AfterEach
  void stop() throws Exception {
    activator.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aGibibyteStreamsThroughEachWayWithA64MibHeap() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                send(
                            client,
                            HttpRequest.newBuilder(uri("/download"))
                                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);

    HttpResponse<String> up =
        send(
            client,
            HttpRequest.newBuilder(uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(GIB)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).isEqualTo(Long.toString(GIB));

    HttpResponse<InputStream> down =
        send(
            client,
            HttpRequest.newBuilder(uri("/download")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(down.statusCode()).isEqualTo(200);
    long received = 0;
    try (InputStream in = down.body()) {
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = in.read(buffer)) != -1) {
        received += n;
      }
    }
    assertThat(received).isEqualTo(GIB);
    assertThat(activator.process.isAlive()).as("no OutOfMemoryError").isTrue();
  }

  private URI uri(String path) {
    return activator.uri("/default/big" + path);
  }

  private static <T> HttpResponse<T> send(
      HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return client.send(request, handler);
  }

  /** Writes as fast as the activator takes it, never faster: Vert.x back-pressure. */
  private static void stream(HttpServerResponse response, long remaining, Buffer chunk) {
    long left = remaining;
    while (left > 0 && !response.writeQueueFull()) {
      response.write(chunk);
      left -= chunk.length();
    }
    if (left <= 0) {
      response.end();
      return;
    }
    long rest = left;
    response.drainHandler(v -> stream(response, rest, chunk));
  }

  /** {@code size} zero bytes, generated as read. */
  private static final class Zeros extends InputStream {
    private long left;

    Zeros(long size) {
      left = size;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }
  }
}
