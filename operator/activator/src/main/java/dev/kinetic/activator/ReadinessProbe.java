package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import java.util.concurrent.CompletionStage;

/** Asks a starting pod whether it is ready, as the kubelet's readiness probe does. */
interface ReadinessProbe {
  /** Completes with true when the pod answered ready; false (never exceptionally) otherwise. */
  CompletionStage<Boolean> ready(Endpoint endpoint);
}
