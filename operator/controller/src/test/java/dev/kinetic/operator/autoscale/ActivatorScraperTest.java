package dev.kinetic.operator.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kinetic.autoscaler.Load;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Collection from real HTTP servers standing in for activator replicas. */
class ActivatorScraperTest {
  private final List<HttpServer> servers = new ArrayList<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void stop() {
    never.countDown();
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void sumsEveryActivatorsLoadPerFunction() throws IOException {
    URI a =
        activator(
            200,
            "{\"functions\":[{\"namespace\":\"default\",\"name\":\"hello\","
                + "\"averageConcurrency\":2.5,\"requestsPerSecond\":120.5}]}");
    // An activator from before requestsPerSecond: its concurrency counts, its rate is none.
    URI b =
        activator(
            200,
            "{\"functions\":[{\"namespace\":\"default\",\"name\":\"hello\",\"averageConcurrency\":1.5},"
                + "{\"namespace\":\"shop\",\"name\":\"cart\",\"averageConcurrency\":4,"
                + "\"requestsPerSecond\":30}]}");

    var sample = scraper(a, b).sample();

    assertThat(sample)
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .containsEntry(new ResourceID("hello", "default"), new Load(4.0, 120.5))
                    .containsEntry(new ResourceID("cart", "shop"), new Load(4.0, 30.0))
                    .hasSize(2));
  }

  @Test
  void oneFailingActivatorMakesTheSampleNotWholeAndTheOthersSumAPartialReading()
      throws IOException {
    URI good = activator(200, stats("default", "hello", 3));
    List<URI> bad = new ArrayList<>();
    bad.add(activator(500, "boom"));
    bad.add(activator(200, "{not json"));
    bad.add(activator(200, "{\"functions\":{}}"));
    bad.add(activator(200, "{\"functions\":[{\"name\":\"x\"}]}"));
    for (String rate : List.of("-1", "\"fast\"", "null")) {
      // Its first entry is sound: a bad answer adds nothing of itself, not even that.
      bad.add(
          activator(
              200,
              "{\"functions\":[{\"namespace\":\"default\",\"name\":\"hello\","
                  + "\"averageConcurrency\":1},{\"namespace\":\"a\",\"name\":\"x\","
                  + "\"averageConcurrency\":1,\"requestsPerSecond\":"
                  + rate
                  + "}]}"));
    }
    bad.add(URI.create("http://127.0.0.1:1/stats"));
    for (URI other : bad) {
      ActivatorScraper scraper = scraper(good, other);
      assertThat(scraper.sample()).as("%s: no whole sample", other).isEmpty();
      assertThat(scraper.read())
          .as("%s: the good activator's numbers alone, marked partial", other)
          .hasValueSatisfying(
              r -> {
                assertThat(r.complete()).isFalse();
                assertThat(r.loads())
                    .containsExactly(
                        java.util.Map.entry(new ResourceID("hello", "default"), new Load(3, 0)));
              });
    }
    assertThat(scraper(bad.get(0), bad.get(1)).read()).as("none answered").isEmpty();
  }

  @Test
  void anActivatorThatDoesNotAnswerInTimeMakesTheSamplePartial() throws IOException {
    HttpServer hanging = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hanging.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    hanging.createContext(
        "/stats",
        exchange -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    hanging.start();
    servers.add(hanging);

    var sample =
        scraper(
                activator(200, stats("default", "hello", 3)),
                URI.create("http://127.0.0.1:" + hanging.getAddress().getPort() + "/stats"))
            .read();

    assertThat(sample).hasValueSatisfying(r -> assertThat(r.complete()).isFalse());
  }

  @Test
  void anAnswerThatNeverEndsIsCutOffAtItsSizeAndTheSampleIsMissing() throws IOException {
    try (EndlessStats endless = new EndlessStats()) {
      // A timeout long enough that only the size can end this sample.
      ActivatorScraper scraper =
          new ActivatorScraper(
              () -> List.of(endless.url()),
              HttpClient.newHttpClient(),
              Duration.ofMinutes(5),
              64 * 1024);

      assertThat(scraper.sample()).isEmpty();
      await().atMost(Duration.ofSeconds(30)).until(() -> endless.cut.getCount() == 0);
      assertThat(endless.sent.get())
          .as("the server stopped soon after the limit")
          .isLessThan(64L << 20);
    }
  }

  @Test
  void noActivatorsIsMissingDataNotZeroTraffic() {
    assertThat(
            new ActivatorScraper(
                    List::of, HttpClient.newHttpClient(), Duration.ofSeconds(1), 1 << 20)
                .sample())
        .isEmpty();
  }

  private ActivatorScraper scraper(URI... urls) {
    return new ActivatorScraper(
        () -> List.of(urls), HttpClient.newHttpClient(), Duration.ofMillis(300), 1 << 20);
  }

  private static String stats(String namespace, String name, double average) {
    return "{\"functions\":[{\"namespace\":\""
        + namespace
        + "\",\"name\":\""
        + name
        + "\",\"averageConcurrency\":"
        + average
        + "}]}";
  }

  private URI activator(int status, String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/stats",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    servers.add(server);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stats");
  }
}
