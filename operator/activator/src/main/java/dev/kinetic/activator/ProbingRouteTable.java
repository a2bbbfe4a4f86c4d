package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.RouteTable;
import dev.kinetic.routes.RouteVersion;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A route table that also serves starting pods as soon as the activator's own probe finds them
 * ready, instead of when the kubelet's next readiness probe (at most once a second) has passed and
 * the EndpointSlice says so — on a cold start, the request waiting at zero pods goes to the pod up
 * to a second earlier. Knative's activator probes its pods for the same reason.
 *
 * <p>Each starting endpoint (see {@link Route#starting()}) is probed every interval from when it
 * appears, at most one probe at a time, for at most the window; it stops being probed when it
 * leaves the starting set (ready, terminating or gone). An endpoint found ready is routed until it
 * leaves that set, and one that comes back to it (its kubelet probe failed since) is probed afresh.
 * What is kept is bounded by the starting endpoints of the underlying table.
 */
final class ProbingRouteTable implements RouteTable {
  /** Runs a task after a delay: a Vert.x timer in the activator, a list in tests. */
  interface Scheduler {
    void after(Duration delay, Runnable task);
  }

  private final RouteTable routes;
  private final ReadinessProbe probe;
  private final Scheduler scheduler;
  private final InstantSource clock;
  private final ProbeSettings settings;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  // The starting endpoints of each function, with their probing state. Changed under this lock;
  // concurrent so that route() — on every request — finds a function with none without the lock.
  private final Map<FunctionKey, Map<Endpoint, Probing>> starting = new ConcurrentHashMap<>();

  ProbingRouteTable(
      RouteTable routes,
      ReadinessProbe probe,
      Scheduler scheduler,
      InstantSource clock,
      ProbeSettings settings) {
    this.routes = routes;
    this.probe = probe;
    this.scheduler = scheduler;
    this.clock = clock;
    this.settings = settings;
    routes.subscribe(this::changed);
  }

  /**
   * Probes each pod with its Function's check (an HTTP path or a TCP connection) with Vert.x timers
   * and the system clock: the activator's wiring.
   */
  static ProbingRouteTable overNetwork(Vertx vertx, RouteTable routes, ProbeSettings settings) {
    ReadinessProbe probe = new PodReadinessProbe(vertx, settings.timeout());
    Scheduler timers =
        (delay, task) -> vertx.setTimer(Math.max(1, delay.toMillis()), id -> task.run());
    return new ProbingRouteTable(routes, probe, timers, Clock.systemUTC(), settings);
  }

  @Override
  public Optional<Route> route(FunctionKey key) {
    return routes.route(key).map(route -> route.promote(probedReady(key)));
  }

  @Override
  public Optional<FunctionKey> byDomain(String host) {
    return routes.byDomain(host);
  }

  @Override
  public Optional<RouteVersion> version(FunctionKey key) {
    return routes.version(key);
  }

  @Override
  public void subscribe(Listener listener) {
    listeners.add(listener);
  }

  private Set<Endpoint> probedReady(FunctionKey key) {
    if (!starting.containsKey(key)) {
      return Set.of(); // the usual case: nothing starting, no lock taken
    }
    synchronized (this) {
      Map<Endpoint, Probing> endpoints = starting.getOrDefault(key, Map.of());
      Set<Endpoint> ready = new HashSet<>();
      endpoints.forEach(
          (endpoint, probing) -> {
            if (probing.ready) {
              ready.add(endpoint);
            }
          });
      return ready;
    }
  }

  /** Follows the underlying table: new starting endpoints are probed, gone ones forgotten. */
  private void changed(FunctionKey key) {
    Optional<Route> route = routes.route(key);
    Set<Endpoint> now = route.map(r -> Set.copyOf(r.starting())).orElse(Set.of());
    Optional<String> path = route.flatMap(Route::probePath);
    List<Probing> fresh = new ArrayList<>();
    synchronized (this) {
      Map<Endpoint, Probing> known = starting.computeIfAbsent(key, k -> new HashMap<>());
      known.keySet().retainAll(now);
      for (Endpoint endpoint : now) {
        known.computeIfAbsent(
            endpoint,
            e -> {
              Probing probing = new Probing(key, e, path, clock.instant());
              fresh.add(probing);
              return probing;
            });
      }
      if (known.isEmpty()) {
        starting.remove(key);
      }
    }
    fresh.forEach(this::probe);
    notifyListeners(key);
  }

  private void probe(Probing probing) {
    if (!current(probing)) {
      return;
    }
    probe
        .ready(probing.endpoint, probing.path)
        .whenComplete((ok, error) -> probed(probing, Boolean.TRUE.equals(ok)));
  }

  private void probed(Probing probing, boolean ready) {
    boolean again;
    synchronized (this) {
      if (!isCurrent(probing)) {
        return;
      }
      probing.ready = ready;
      Instant until = probing.since.plus(settings.window());
      again = !ready && clock.instant().isBefore(until);
    }
    if (ready) {
      notifyListeners(probing.key);
    } else if (again) {
      scheduler.after(settings.interval(), () -> probe(probing));
    }
  }

  private synchronized boolean current(Probing probing) {
    return isCurrent(probing);
  }

  /** Still the same starting endpoint: not gone and come back since this probing began. */
  private boolean isCurrent(Probing probing) {
    Map<Endpoint, Probing> endpoints = starting.get(probing.key);
    return endpoints != null && endpoints.get(probing.endpoint) == probing;
  }

  private void notifyListeners(FunctionKey key) {
    for (Listener listener : listeners) {
      listener.changed(key);
    }
  }

  /** synchronized: endpoints being probed, for tests. */
  synchronized int probing() {
    return starting.values().stream().mapToInt(Map::size).sum();
  }

  private static final class Probing {
    final FunctionKey key;
    final Endpoint endpoint;
    // The Function's check when its probing began; a changed spec rolls out new pods anyway.
    final Optional<String> path;
    final Instant since;
    boolean ready;

    Probing(FunctionKey key, Endpoint endpoint, Optional<String> path, Instant since) {
      this.key = key;
      this.endpoint = endpoint;
      this.path = path;
      this.since = since;
    }
  }
}
