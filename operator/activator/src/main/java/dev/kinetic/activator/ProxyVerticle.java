package dev.kinetic.activator;

import dev.kinetic.routes.RouteTable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop's share of the proxy: its own server (Vert.x spreads connections over the
 * instances listening on the same port) and its own client, so a request and its connection to the
 * pod stay on one thread. Gates, routes and stats are shared by all instances.
 */
final class ProxyVerticle extends VerticleBase {
  private final ActivatorSettings settings;
  private final RouteTable routes;
  private final Gates gates;
  private final DemandSignal demand;
  private final ActivatorStats stats;
  private final AtomicInteger actualPort;
  private HttpServer server;
  private HttpClient client;

  ProxyVerticle(
      ActivatorSettings settings,
      RouteTable routes,
      Gates gates,
      DemandSignal demand,
      ActivatorStats stats,
      AtomicInteger actualPort) {
    this.settings = settings;
    this.routes = routes;
    this.gates = gates;
    this.demand = demand;
    this.stats = stats;
    this.actualPort = actualPort;
  }

  @Override
  public Future<?> start() {
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000),
            // Bounded: connections per pod from this event loop; the slot throttle keeps it lower.
            new PoolOptions().setHttp1MaxSize(1000).setMaxWaitQueueSize(10_000));
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setMaxHeaderSize(settings.maxHeaderBytes())
                    .setMaxInitialLineLength(8192)
                    // Writes go straight to the socket instead of through a thread-safe queue.
                    // It holds because every answer is written on the request's own event loop:
                    // a grant from another thread hops there first (ProxyHandler.Attempt).
                    .setStrictThreadMode(true)
                    // No WebSocket upgrades through the activator (Upgrade is hop-by-hop and
                    // stripped), so no per-request check for their compression extension.
                    .setPerMessageWebSocketCompressionSupported(false)
                    .setPerFrameWebSocketCompressionSupported(false))
            .requestHandler(
                new ProxyHandler(vertx, client, settings, routes, gates, demand, stats));
    // Instances of one deployment share the port, also port 0 (tests): Vert.x binds it once.
    return server
        .listen(settings.port())
        .onSuccess(s -> actualPort.compareAndSet(0, s.actualPort()));
  }

  /** Undeploying is draining: no new connections, in-flight and queued requests finish. */
  @Override
  public Future<?> stop() {
    return server
        .shutdown(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .compose(v -> client.close());
  }
}
