package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;

/**
 * How the activator asks for pods: called at once when a request has to wait for a function with no
 * ready pod it may use. The autoscaler supplies the receiver; it must not block.
 */
@FunctionalInterface
public interface DemandSignal {
  /**
   * @param waiting requests this activator holds for the function
   * @param seenPods ready pods this activator sees, none of which has a slot for it (the hard limit
   *     is below the number of activators); 0 for a function at zero
   */
  void demand(FunctionKey key, int waiting, int seenPods);
}
