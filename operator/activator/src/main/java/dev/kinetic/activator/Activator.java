package dev.kinetic.activator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The activator as one object: the proxy port, the admin port ({@code /stats}, {@code /metrics},
 * {@code /healthz}), the sampler, and drain. Wiring only.
 */
public final class Activator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final HttpServer admin;
  private final ProxyServer proxy;
  private final long sampler;
  private final ActivatorStats stats;

  private Activator(
      Vertx vertx, HttpServer admin, ProxyServer proxy, long sampler, ActivatorStats stats) {
    this.vertx = vertx;
    this.admin = admin;
    this.proxy = proxy;
    this.sampler = sampler;
    this.stats = stats;
  }

  /**
   * Average concurrency (in flight + queued) of each function over the last second: what an
   * embedded autoscaler reads instead of scraping {@code /stats}.
   */
  public Map<FunctionKey, Double> averageConcurrency() {
    return stats.averageConcurrency();
  }

  /** Starts listening; the future completes when both ports are open. */
  public static Future<Activator> start(
      Vertx vertx, ActivatorSettings settings, RouteTable routes, DemandSignal demand) {
    return start(vertx, settings, routes, demand, Peers.ALONE);
  }

  /** As one of several activators in front of the same pods ({@link Peers}). */
  static Future<Activator> start(
      Vertx vertx,
      ActivatorSettings settings,
      RouteTable routes,
      DemandSignal demand,
      Peers peers) {
    return start(vertx, settings, routes, demand, peers, System::nanoTime);
  }

  /** With the clock the proxy measures waits and silences on (monotonic nanoseconds). */
  static Future<Activator> start(
      Vertx vertx,
      ActivatorSettings settings,
      RouteTable routes,
      DemandSignal demand,
      Peers peers,
      LongSupplier ticker) {
    Gates gates = new Gates(routes, settings, peers, demand, ticker);
    ActivatorStats stats = new ActivatorStats(gates);
    HttpServer admin =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  switch (request.path()) {
                    case "/stats" ->
                        request
                            .response()
                            .putHeader("Content-Type", "application/json")
                            .end(json(Map.of("functions", stats.snapshot())));
                    case "/metrics" ->
                        request
                            .response()
                            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                            .end(stats.scrape());
                    case "/healthz" -> request.response().end("ok");
                    default -> request.response().setStatusCode(404).end();
                  }
                });
    long sampler =
        vertx.setPeriodic(ActivatorStats.SAMPLE_INTERVAL.toMillis(), id -> stats.sample());
    Proxy shared = new Proxy(settings, routes, gates, demand, stats, ticker);
    return Future.fromCompletionStage(ProxyServer.start((VertxInternal) vertx, shared))
        .compose(proxy -> warmUp(vertx, proxy.port()).map(proxy))
        .compose(proxy -> admin.listen(settings.adminPort()).map(a -> proxy))
        .map(proxy -> new Activator(vertx, admin, proxy, sampler, stats));
  }

  /**
   * One request to the proxy itself before the admin port (and so readiness) opens: it names no
   * function and gets a 404, but loads and runs the request path once, so the first real request —
   * often a cold start, whose demand signal races the autoscaler's next sample — does not pay about
   * 100 ms of class loading. Its outcome does not matter.
   */
  private static Future<Void> warmUp(Vertx vertx, int port) {
    HttpClient client = vertx.createHttpClient();
    return client
        .request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(HttpClientRequest::send)
        .compose(HttpClientResponse::end)
        .otherwiseEmpty()
        .eventually(client::close)
        .mapEmpty();
  }

  public int port() {
    return proxy.port();
  }

  /**
   * The registry {@code GET /metrics} serves: a component embedded next to the activator (local
   * mode's dispatcher) adds its meters here rather than opening a port of its own.
   */
  public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return stats.registry();
  }

  public int adminPort() {
    return admin.actualPort();
  }

  /**
   * Stops accepting, lets requests in flight and in queues finish (each within its own deadline),
   * for at most the drain timeout.
   */
  public Future<Void> drain() {
    vertx.cancelTimer(sampler);
    return Future.fromCompletionStage(proxy.drain()).compose(v -> admin.close());
  }

  /**
   * Cuts a drain under way short: whatever is still queued or with a pod is answered 503
   * shutting_down now instead of at the deadline.
   */
  public void stopNow() {
    proxy.hurry();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
