package dev.kinetic.activator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What tests of a running activator (a process, or local mode's) read from outside it. */
public final class ActivatorProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ActivatorProbe() {}

  /** Requests queued or with a pod, over every function, by the activator's own {@code /stats}. */
  public static long waiting(HttpClient http, URI stats) throws Exception {
    String body =
        http.send(HttpRequest.newBuilder(stats).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    long total = 0;
    for (JsonNode f : JSON.readTree(body).path("functions")) {
      total += f.path("queued").asLong() + f.path("inFlight").asLong();
    }
    return total;
  }

  /**
   * Every answer, by status, each awaited at most {@code each}; an exception — a connection closed
   * with no HTTP answer — fails the test.
   */
  public static Map<Integer, Long> statuses(
      List<CompletableFuture<HttpResponse<String>>> answers, Duration each) throws Exception {
    Map<Integer, Long> statuses = new TreeMap<>();
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      statuses.merge(
          answer.get(each.toMillis(), TimeUnit.MILLISECONDS).statusCode(), 1L, Long::sum);
    }
    return statuses;
  }
}
