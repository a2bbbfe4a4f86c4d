package dev.kinetic.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady traffic from a fixed number of clients, each sending one request after the other to the
 * same URL until stopped (or until its time bound), counting every outcome: HTTP statuses, and
 * failures without an HTTP answer by exception class. Bounded in clients, time and per-request
 * timeout.
 */
final class SteadyLoad implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final ExecutorService clients;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final long deadline;

  private SteadyLoad(URI uri, int clientCount, Duration atMost) {
    this.deadline = System.nanoTime() + atMost.toNanos();
    this.clients = Executors.newFixedThreadPool(clientCount);
    for (int i = 0; i < clientCount; i++) {
      clients.execute(() -> run(uri));
    }
  }

  /** Starts {@code clients} clients; each stops at {@link #close} or after {@code atMost}. */
  static SteadyLoad start(URI uri, int clients, Duration atMost) {
    return new SteadyLoad(uri, clients, atMost);
  }

  private void run(URI uri) {
    // One client each, as separate users would have: keep-alive connections of its own.
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).build();
    while (running.get() && System.nanoTime() < deadline) {
      String outcome;
      try {
        outcome =
            Integer.toString(
                http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        outcome = e.getClass().getSimpleName();
      }
      outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }
  }

  long total() {
    return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long ok() {
    LongAdder ok = outcomes.get("200");
    return ok == null ? 0 : ok.sum();
  }

  /** Every outcome and how often, e.g. {200=5123, 502=2, ConnectException=1}. */
  Map<String, Long> outcomes() {
    Map<String, Long> out = new java.util.TreeMap<>();
    outcomes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    clients.shutdown();
    if (!clients.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
      clients.shutdownNow();
    }
  }
}
