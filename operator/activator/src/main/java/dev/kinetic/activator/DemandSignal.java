package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;

/**
 * How the activator asks for pods: called at once when a request has to wait for a function with no
 * ready endpoint. The autoscaler supplies the receiver; it must not block.
 */
@FunctionalInterface
public interface DemandSignal {
  void demand(FunctionKey key, int waiting);
}
