package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Asks a starting pod whether it is ready, as the kubelet's readiness probe does. */
interface ReadinessProbe {
  /**
   * Completes with true when the pod answered ready; false (never exceptionally) otherwise.
   *
   * @param path the Function's probe path, to GET; empty: a TCP connection is the check
   */
  CompletionStage<Boolean> ready(Endpoint endpoint, Optional<String> path);
}
