package dev.kinetic.activator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.RouteTable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The activator as one object: the proxy port, the admin port ({@code /stats}, {@code /metrics},
 * {@code /healthz}), the sampler, and drain. Wiring only.
 */
public final class Activator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final HttpServer admin;
  private final String deployment;
  private final int port;
  private final long sampler;
  private final ActivatorStats stats;

  private Activator(
      Vertx vertx,
      HttpServer admin,
      String deployment,
      int port,
      long sampler,
      ActivatorStats stats) {
    this.vertx = vertx;
    this.admin = admin;
    this.deployment = deployment;
    this.port = port;
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
    Gates gates = new Gates(routes, settings);
    ActivatorStats stats = new ActivatorStats(gates);
    AtomicInteger actualPort = new AtomicInteger();
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
    return vertx
        .deployVerticle(
            () -> new ProxyVerticle(settings, routes, gates, demand, stats, actualPort),
            new DeploymentOptions().setInstances(settings.eventLoops()))
        .compose(id -> admin.listen(settings.adminPort()).map(a -> id))
        .map(id -> new Activator(vertx, admin, id, actualPort.get(), sampler, stats));
  }

  public int port() {
    return port;
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
    return vertx.undeploy(deployment).compose(v -> admin.close());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
