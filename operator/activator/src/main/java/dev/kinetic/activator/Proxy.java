package dev.kinetic.activator;

import dev.kinetic.routes.RouteTable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What every client connection of the proxy shares: settings, routes, gates, demand, stats, the
 * access log, the clock, and the count of exchanges not yet ended (queued or in flight), which
 * drain waits for.
 */
final class Proxy {
  final ActivatorSettings settings;
  final RouteTable routes;
  final Gates gates;
  final DemandSignal demand;
  final ActivatorStats stats;
  final AccessLog accessLog;
  // Monotonic nanoseconds for waits and silences (System::nanoTime; a test may move it).
  final LongSupplier ticker;
  private final AtomicInteger open = new AtomicInteger();
  private final CompletableFuture<Void> idle = new CompletableFuture<>();
  private volatile boolean draining;

  Proxy(
      ActivatorSettings settings,
      RouteTable routes,
      Gates gates,
      DemandSignal demand,
      ActivatorStats stats,
      AccessLog accessLog,
      LongSupplier ticker) {
    this.settings = settings;
    this.routes = routes;
    this.gates = gates;
    this.demand = demand;
    this.stats = stats;
    this.accessLog = accessLog;
    this.ticker = ticker;
  }

  void exchangeOpened() {
    open.incrementAndGet();
  }

  void exchangeEnded() {
    if (open.decrementAndGet() == 0 && draining) {
      idle.complete(null);
    }
  }

  boolean draining() {
    return draining;
  }

  /** From now on connections close after their current exchange; completes when none is open. */
  CompletableFuture<Void> drain() {
    draining = true;
    if (open.get() == 0) {
      idle.complete(null);
    }
    return idle;
  }
}
