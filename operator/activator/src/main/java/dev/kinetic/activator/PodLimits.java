package dev.kinetic.activator;

import java.time.Duration;

/**
 * How the activator treats a pod that does not take a connection. docs/activator.md lists the
 * settings.
 *
 * @param connectTimeout a connection to a pod must open within this, or the request goes to another
 *     pod (or waits for one) as after a refusal
 * @param refusedPause a pod that refused a connection or let it time out is out of rotation this
 *     long, then tried again without waiting for a route update: a pod whose accept queue
 *     overflowed in a burst is still ready in its endpoints, and with one pod and a stable route
 *     (local mode, a function at its max scale) it would otherwise never come back
 */
public record PodLimits(Duration connectTimeout, Duration refusedPause) {
  public static final PodLimits DEFAULTS =
      new PodLimits(Duration.ofSeconds(2), Duration.ofSeconds(1));

  public PodLimits {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("the pod connect timeout must be positive");
    }
    if (refusedPause.isNegative() || refusedPause.isZero()) {
      throw new IllegalArgumentException("the pause of a refusing pod must be positive");
    }
  }
}
