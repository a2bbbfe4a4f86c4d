package dev.kinetic.routes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the activator needs to know of one Function: its hard concurrency per pod (0 = no limit),
 * its request timeout, its ready endpoints (empty when scaled to zero or still starting), when it
 * is known that no pod can start, why, and the endpoints that exist but are not ready yet (pods
 * with an address whose readiness probe has not passed), which the activator may probe itself —
 * with the Function's own check: a GET of {@code probePath}, or without one a TCP connection.
 *
 * @param clusterLocal only callers inside the cluster may reach it ({@code spec.visibility:
 *     ClusterLocal}): on the activators' public port it does not exist
 */
public record Route(
    FunctionKey key,
    int hardConcurrency,
    Duration timeout,
    List<Endpoint> ready,
    Optional<Unavailable> unavailable,
    List<Endpoint> starting,
    Optional<String> probePath,
    boolean clusterLocal) {
  public Route {
    ready = List.copyOf(ready);
    starting = List.copyOf(starting);
  }

  public Route(
      FunctionKey key,
      int hardConcurrency,
      Duration timeout,
      List<Endpoint> ready,
      Optional<Unavailable> unavailable,
      List<Endpoint> starting) {
    this(key, hardConcurrency, timeout, ready, unavailable, starting, Optional.empty(), false);
  }

  public Route(
      FunctionKey key,
      int hardConcurrency,
      Duration timeout,
      List<Endpoint> ready,
      Optional<Unavailable> unavailable) {
    this(key, hardConcurrency, timeout, ready, unavailable, List.of());
  }

  public Route(FunctionKey key, int hardConcurrency, Duration timeout, List<Endpoint> ready) {
    this(key, hardConcurrency, timeout, ready, Optional.empty());
  }

  public Route withReady(List<Endpoint> endpoints) {
    return new Route(
        key, hardConcurrency, timeout, endpoints, unavailable, starting, probePath, clusterLocal);
  }

  public Route withUnavailable(Optional<Unavailable> why) {
    return new Route(key, hardConcurrency, timeout, ready, why, starting, probePath, clusterLocal);
  }

  /** The same route, reachable only from inside the cluster or not. */
  public Route withClusterLocal(boolean only) {
    return new Route(key, hardConcurrency, timeout, ready, unavailable, starting, probePath, only);
  }

  /** The same route with these starting endpoints counted as ready (found ready by a probe). */
  public Route promote(Set<Endpoint> probedReady) {
    if (probedReady.isEmpty()) {
      return this;
    }
    List<Endpoint> nowReady = new ArrayList<>(ready);
    List<Endpoint> stillStarting = new ArrayList<>();
    for (Endpoint endpoint : starting) {
      if (probedReady.contains(endpoint)) {
        nowReady.add(endpoint);
      } else {
        stillStarting.add(endpoint);
      }
    }
    return new Route(
        key,
        hardConcurrency,
        timeout,
        nowReady,
        unavailable,
        stillStarting,
        probePath,
        clusterLocal);
  }
}
