package dev.kinetic.autoscaler;

import java.util.OptionalInt;

/**
 * Where decisions take effect: the Deployment's scale subresource on a cluster, local processes in
 * local mode. {@link #scale} may be called from several threads at once for different functions,
 * never for the same function at once; {@link #currentReplicas} is read while deciding and must not
 * block (an informer's cache, not a request).
 */
public interface ScaleBackend<K> {
  /** The replicas the function is asked to run now; empty while it has nothing to scale yet. */
  OptionalInt currentReplicas(K function);

  /** Makes the function run {@code decision.replicas()} pods; {@code from} is what it ran. */
  void scale(K function, int from, Decision decision);
}
