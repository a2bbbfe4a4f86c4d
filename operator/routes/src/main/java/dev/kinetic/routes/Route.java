package dev.kinetic.routes;

import java.time.Duration;
import java.util.List;

/**
 * What the activator needs to know of one Function: its hard concurrency per pod (0 = no limit),
 * its request timeout, and its ready endpoints (empty when scaled to zero or still starting).
 */
public record Route(FunctionKey key, int hardConcurrency, Duration timeout, List<Endpoint> ready) {
  public Route {
    ready = List.copyOf(ready);
  }

  public Route withReady(List<Endpoint> endpoints) {
    return new Route(key, hardConcurrency, timeout, endpoints);
  }
}
