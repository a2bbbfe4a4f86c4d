package dev.kinetic.routes;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the activator needs to know of one Function: its hard concurrency per pod (0 = no limit),
 * its request timeout, its ready endpoints (empty when scaled to zero or still starting), and, when
 * it is known that no pod can start, why.
 */
public record Route(
    FunctionKey key,
    int hardConcurrency,
    Duration timeout,
    List<Endpoint> ready,
    Optional<Unavailable> unavailable) {
  public Route {
    ready = List.copyOf(ready);
  }

  public Route(FunctionKey key, int hardConcurrency, Duration timeout, List<Endpoint> ready) {
    this(key, hardConcurrency, timeout, ready, Optional.empty());
  }

  public Route withReady(List<Endpoint> endpoints) {
    return new Route(key, hardConcurrency, timeout, endpoints, unavailable);
  }

  public Route withUnavailable(Optional<Unavailable> why) {
    return new Route(key, hardConcurrency, timeout, ready, why);
  }
}
