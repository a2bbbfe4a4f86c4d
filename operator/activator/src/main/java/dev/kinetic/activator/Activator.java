package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.RouteTable;
import io.micrometer.core.instrument.FunctionCounter;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The activator as one object: the proxy port, the admin port ({@code /stats}, {@code /metrics},
 * {@code /healthz}), the sampler, and drain. Wiring only.
 */
public final class Activator {
  /**
   * How often the demand for a pod is sent again while requests wait for one ({@link
   * Gates#remindAutoscaler}): about the autoscaler's own sampling interval.
   */
  static final Duration DEMAND_REPEAT = Duration.ofSeconds(1);

  private final EventLoopGroup adminLoop;
  private final AdminServer admin;
  private final ProxyServer proxy;
  private final ScheduledFuture<?> sampler;
  private final ActivatorStats stats;

  private Activator(
      EventLoopGroup adminLoop,
      AdminServer admin,
      ProxyServer proxy,
      ScheduledFuture<?> sampler,
      ActivatorStats stats) {
    this.adminLoop = adminLoop;
    this.admin = admin;
    this.proxy = proxy;
    this.sampler = sampler;
    this.stats = stats;
  }

  /**
   * Each function's load over the last second: what an embedded autoscaler reads instead of
   * scraping {@code /stats}.
   */
  public Map<FunctionKey, FunctionLoad> load() {
    return stats.load();
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

  /**
   * With the clock the proxy measures waits and silences on (monotonic nanoseconds). The event
   * loops run on the Vert.x instance's transport and end when it closes, drained or not.
   */
  static Future<Activator> start(
      Vertx vertx,
      ActivatorSettings settings,
      RouteTable routes,
      DemandSignal demand,
      Peers peers,
      LongSupplier ticker) {
    VertxInternal internal = (VertxInternal) vertx;
    return Future.fromCompletionStage(
        start(internal.transport(), settings, routes, demand, peers, ticker)
            .thenApply(
                activator -> {
                  internal.addCloseHook(
                      closing -> activator.stop().whenComplete((v, e) -> closing.succeed()));
                  return activator;
                }),
        // Callers go on on a Vert.x context, as with any future of their Vert.x instance.
        internal.getOrCreateContext());
  }

  /**
   * On event loops of {@code transport} and nothing else: the activator as a process with static
   * routes loads no Vert.x (docs/activator.md#memory).
   */
  static CompletableFuture<Activator> start(
      Transport transport,
      ActivatorSettings settings,
      RouteTable routes,
      DemandSignal demand,
      Peers peers,
      LongSupplier ticker) {
    Gates gates = new Gates(routes, settings, peers, demand, ticker);
    ActivatorStats stats = new ActivatorStats(gates);
    // One event loop for the admin port, the sampler and the warm-up, apart from the proxy's.
    EventLoopGroup admin =
        transport.eventLoopGroup(
            Transport.IO_EVENT_LOOP_GROUP, 1, new DefaultThreadFactory("kinetic-admin", true), 0);
    ScheduledFuture<?> sampler =
        admin.scheduleAtFixedRate(
            stats::sample,
            ActivatorStats.SAMPLE_INTERVAL.toMillis(),
            ActivatorStats.SAMPLE_INTERVAL.toMillis(),
            TimeUnit.MILLISECONDS);
    // Not cancelled by a drain, whose queued requests still need their pods: it ends with the loop.
    admin.scheduleAtFixedRate(
        gates::remindAutoscaler,
        DEMAND_REPEAT.toMillis(),
        DEMAND_REPEAT.toMillis(),
        TimeUnit.MILLISECONDS);
    AccessLog accessLog =
        settings.accessLogQueue() > 0
            ? AccessLog.start(settings.accessLogQueue(), Clock.systemUTC())
            : AccessLog.OFF;
    if (accessLog.on()) {
      FunctionCounter.builder("kinetic.activator.access.log.dropped", accessLog, AccessLog::dropped)
          .description("access log lines dropped: the log's queue was full")
          .register(stats.registry());
    }
    Proxy shared = new Proxy(settings, routes, gates, demand, stats, accessLog, ticker);
    AdminServer.Pages pages = new AdminServer.Pages(stats::json, stats::scrape, routes::version);
    CompletableFuture<Activator> started =
        ProxyServer.start(transport, shared)
            .thenCompose(
                proxy ->
                    WarmUp.request(admin, transport, proxy.port())
                        .thenCompose(
                            v -> AdminServer.start(admin, transport, settings.adminPort(), pages))
                        .thenApply(server -> new Activator(admin, server, proxy, sampler, stats))
                        .whenComplete(
                            (activator, failed) -> {
                              if (failed != null) {
                                proxy.stop();
                              }
                            }));
    started.whenComplete(
        (activator, failed) -> {
          if (failed != null) {
            shutDown(admin);
          }
        });
    return started;
  }

  /**
   * Prints the access log's lines (when {@code KINETIC_ACTIVATOR_ACCESS_LOG} is json) to {@code
   * out}, each after {@code prefix}, until the handle is closed: how local mode shows them.
   */
  public static AutoCloseable printAccessLog(java.io.PrintStream out, String prefix) {
    return AccessLog.printTo(out, prefix);
  }

  public int port() {
    return proxy.port();
  }

  /** The public port (for callers outside the cluster), or -1 without one. */
  public int publicPort() {
    return proxy.publicPort();
  }

  /**
   * The registry {@code GET /metrics} serves: a component embedded next to the activator (local
   * mode's dispatcher) adds its meters here rather than opening a port of its own.
   */
  public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return stats.registry();
  }

  public int adminPort() {
    return admin.port();
  }

  /**
   * Stops accepting, lets requests in flight and in queues finish (each within its own deadline),
   * for at most the drain timeout.
   */
  public Future<Void> drain() {
    sampler.cancel(false);
    return Future.fromCompletionStage(
        proxy.drain().thenCompose(v -> admin.close()).thenCompose(v -> shutDown(adminLoop)));
  }

  /** Ends every event loop at once, answering nothing more: what closing Vert.x does. */
  private CompletableFuture<Void> stop() {
    sampler.cancel(false);
    return CompletableFuture.allOf(
        proxy.stop(), admin.close().thenCompose(v -> shutDown(adminLoop)));
  }

  /**
   * Closes a listening socket (null or closed: nothing to do); completes when it is closed, within
   * a second at most. Each stop closes its sockets before ending their event loops: on io_uring an
   * event loop that ends with its listening socket open leaves the port accepting connections for
   * the rest of the process (Netty 4.2), connections nobody will ever answer.
   */
  static CompletableFuture<Void> closeListener(Channel listening) {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    if (listening == null || !listening.isOpen()) {
      closed.complete(null);
    } else {
      listening.close().addListener(f -> closed.complete(null));
    }
    // Its event loop may be ending already, and then never tells.
    return closed.completeOnTimeout(null, 1, TimeUnit.SECONDS);
  }

  static int portOf(Channel listening) {
    return ((java.net.InetSocketAddress) listening.localAddress()).getPort();
  }

  /** Shuts event loops down without a quiet period; completes when their threads have ended. */
  static CompletableFuture<Void> shutDown(EventLoopGroup group) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> stopped.complete(null));
    return stopped;
  }

  /**
   * Cuts a drain under way short: whatever is still queued or with a pod is answered 503
   * shutting_down now instead of at the deadline.
   */
  public void stopNow() {
    proxy.hurry();
  }
}
