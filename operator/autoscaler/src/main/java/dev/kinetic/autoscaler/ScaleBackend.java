package dev.kinetic.autoscaler;

import java.util.OptionalInt;

/**
 * Where decisions take effect: the Deployment's scale subresource on a cluster, local processes in
 * local mode. Calls come from one thread at a time.
 */
public interface ScaleBackend<K> {
  /** The replicas the function is asked to run now; empty while it has nothing to scale yet. */
  OptionalInt currentReplicas(K function);

  /** Makes the function run {@code decision.replicas()} pods; {@code from} is what it ran. */
  void scale(K function, int from, Decision decision);
}
