package dev.kinetic.activator;

import dev.kinetic.routes.RouteTable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client connection of the proxy shares: settings, routes, gates, demand and stats, and
 * the count of exchanges not yet ended (queued or in flight), which drain waits for.
 */
final class Proxy {
  final ActivatorSettings settings;
  final RouteTable routes;
  final Gates gates;
  final DemandSignal demand;
  final ActivatorStats stats;
  private final AtomicInteger open = new AtomicInteger();
  private final CompletableFuture<Void> idle = new CompletableFuture<>();
  private volatile boolean draining;

  Proxy(
      ActivatorSettings settings,
      RouteTable routes,
      Gates gates,
      DemandSignal demand,
      ActivatorStats stats) {
    this.settings = settings;
    this.routes = routes;
    this.gates = gates;
    this.demand = demand;
    this.stats = stats;
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
