package dev.kinetic.routes;

import java.util.Optional;

/**
 * Where the activator learns which functions exist and which of their endpoints are ready. In a
 * cluster it is fed by Function and EndpointSlice informers; in local mode by the process
 * supervisor; in tests by the test.
 */
public interface RouteTable {
  Optional<Route> route(FunctionKey key);

  /** Called (on any thread) after a function's route changed or disappeared. */
  void subscribe(Listener listener);

  @FunctionalInterface
  interface Listener {
    void changed(FunctionKey key);
  }
}
