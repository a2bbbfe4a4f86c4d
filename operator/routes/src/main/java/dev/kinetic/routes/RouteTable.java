package dev.kinetic.routes;

import java.util.Optional;

/**
 * Where the activator learns which functions exist and which of their endpoints are ready. In a
 * cluster it is fed by Function and EndpointSlice informers; in local mode by the process
 * supervisor; in tests by the test.
 */
public interface RouteTable {
  Optional<Route> route(FunctionKey key);

  /**
   * The function that holds {@code host} (lower case, without port) as one of its own domains
   * ({@code spec.domains}; the first to claim one holds it); empty for any other host.
   */
  default Optional<FunctionKey> byDomain(String host) {
    return Optional.empty();
  }

  /**
   * The version of the Function this table routes by; empty when it knows none of that name, and
   * from a table that has no versions (static routes, local mode). A table that wraps another must
   * pass this on.
   */
  default Optional<RouteVersion> version(FunctionKey key) {
    return Optional.empty();
  }

  /** Called (on any thread) after a function's route changed or disappeared. */
  void subscribe(Listener listener);

  @FunctionalInterface
  interface Listener {
    void changed(FunctionKey key);
  }
}
