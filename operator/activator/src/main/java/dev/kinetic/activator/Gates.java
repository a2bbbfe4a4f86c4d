package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.RouteTable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The gate of every function that has had traffic, kept in step with the route table. Keyed by
 * functions the route table knows, so clients cannot grow it with made-up names.
 */
final class Gates {
  private final Map<FunctionKey, Gate> gates = new ConcurrentHashMap<>();
  private final RouteTable routes;
  private final ActivatorSettings settings;
  private final Peers peers;
  private final DemandSignal demand;
  private final LongSupplier ticker;

  /**
   * @param ticker monotonic nanoseconds, for how long a pod that refused a connection is skipped
   */
  Gates(
      RouteTable routes,
      ActivatorSettings settings,
      Peers peers,
      DemandSignal demand,
      LongSupplier ticker) {
    this.routes = routes;
    this.ticker = ticker;
    this.settings = settings;
    this.peers = peers;
    this.demand = demand;
    routes.subscribe(this::routeChanged);
    peers.subscribe(this::peersChanged);
  }

  /** The function's gate, made on its first request (or first sight). */
  Gate forRoute(Route route) {
    Gate gate = gates.get(route.key());
    if (gate != null) {
      return gate;
    }
    Gate created =
        new Gate(settings.queueDepth(), peers.current(), ticker, settings.pods().refusedPause());
    created.update(route);
    Gate raced = gates.putIfAbsent(route.key(), created);
    if (raced != null) {
      return raced;
    }
    // The route was read before this gate existed. Deleted since, its removal found no gate to
    // close, and this one would keep the function in /stats and its requests until their deadline.
    // The table changes before it notifies, so one of the two checks sees the deletion.
    if (routes.route(route.key()).isEmpty() && gates.remove(route.key(), created)) {
      created.close();
    }
    return created;
  }

  /** The function's gate now, or null. */
  Gate get(FunctionKey key) {
    return gates.get(key);
  }

  Map<FunctionKey, Gate> all() {
    return Map.copyOf(gates);
  }

  private void routeChanged(FunctionKey key) {
    Optional<Route> route = routes.route(key);
    Gate gate = gates.get(key);
    if (gate == null) {
      // Known before its first request: /stats lists every function, idle ones too.
      route.ifPresent(this::forRoute);
      return;
    }
    if (route.isPresent()) {
      gate.update(route.get());
      askForAPodIfStarved(key, gate);
    } else {
      // Deleted: the router answers 404 to what comes next, the gate to what waits; what runs
      // finishes.
      gates.remove(key);
      gate.close();
    }
  }

  /**
   * Asks again for a pod for every function whose requests still wait for one. The signal sent when
   * they arrived can be lost — the operator's pod that took it gone mid-failover — and the
   * autoscaler's scrape would not make up for it on an activator that is draining, since it reads
   * ready activators only (most likely what happened on the real node, where a request at zero sent
   * during a leader's loss and the activators' rollout waited out its 5 s with no scaling; the
   * draining activator's log went with its pod). The signal is idempotent: the autoscaler scales a
   * function it already scaled for the same wait no further, and one signal per function is on its
   * way at a time.
   */
  void remindAutoscaler() {
    gates.forEach(
        (key, gate) -> {
          if (gate.waitsForAPod()) {
            demand.demand(key, gate.queued(), gate.readyPods());
          }
        });
  }

  private void peersChanged() {
    Shard shard = peers.current();
    gates.forEach(
        (key, gate) -> {
          gate.reshard(shard);
          askForAPodIfStarved(key, gate);
        });
  }

  /**
   * Requests still wait after a change and no ready pod has a slot for this activator: the one
   * signal sent when they arrived was answered by a pod that went to another activator's share.
   */
  private void askForAPodIfStarved(FunctionKey key, Gate gate) {
    if (gate.starved()) {
      demand.demand(key, gate.queued(), gate.readyPods());
    }
  }
}
