package dev.kinetic.activator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The activator as one object: the proxy port, the admin port ({@code /stats}, {@code /metrics},
 * {@code /healthz}), the sampler, and drain. Wiring only.
 */
public final class Activator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final ActivatorSettings settings;
  private final HttpServer proxy;
  private final HttpServer admin;
  private final HttpClient client;
  private final long sampler;

  private Activator(
      Vertx vertx,
      ActivatorSettings settings,
      HttpServer proxy,
      HttpServer admin,
      HttpClient client,
      long sampler) {
    this.vertx = vertx;
    this.settings = settings;
    this.proxy = proxy;
    this.admin = admin;
    this.client = client;
    this.sampler = sampler;
  }

  /** Starts listening; the future completes when both ports are open. */
  public static Future<Activator> start(
      Vertx vertx, ActivatorSettings settings, RouteTable routes, DemandSignal demand) {
    Gates gates = new Gates(routes, settings);
    ActivatorStats stats = new ActivatorStats(gates);
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000),
            // Bounded: at most this many connections per pod (the slot throttle keeps it lower).
            new PoolOptions().setHttp1MaxSize(1000).setMaxWaitQueueSize(10_000));
    HttpServer proxy =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setMaxHeaderSize(settings.maxHeaderBytes())
                    .setMaxInitialLineLength(8192))
            .requestHandler(
                new ProxyHandler(vertx, client, settings, routes, gates, demand, stats));
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
    return proxy
        .listen(settings.port())
        .compose(p -> admin.listen(settings.adminPort()))
        .map(a -> new Activator(vertx, settings, proxy, admin, client, sampler));
  }

  public int port() {
    return proxy.actualPort();
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
    return proxy
        .shutdown(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .compose(v -> admin.close())
        .compose(v -> client.close());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
