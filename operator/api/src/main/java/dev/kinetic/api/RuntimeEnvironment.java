package dev.kinetic.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables the platform gives every function process — in a pod (the operator's Deployment)
 * and in local mode alike — which the function runtime reads (function-runtime's RuntimeSettings;
 * docs/runtime.md lists them). One place, so the two platforms cannot drift apart. The CRD refuses
 * user variables named {@code PORT} or {@code KINETIC_*}, so none of these can be overridden.
 *
 * @param function the Function's name, in the runtime's logs and metrics
 * @param namespace the Function's namespace, in the runtime's logs
 * @param effective the spec with the platform's limits applied
 */
public record RuntimeEnvironment(String function, String namespace, EffectiveSpec effective) {
  public static final String PORT = "PORT";
  public static final String FUNCTION = "KINETIC_FUNCTION";
  public static final String NAMESPACE = "KINETIC_NAMESPACE";
  public static final String TIMEOUT_SECONDS = "KINETIC_TIMEOUT_SECONDS";
  public static final String CONCURRENCY_HARD = "KINETIC_CONCURRENCY_HARD";
  public static final String MEMORY_LIMIT_BYTES = "KINETIC_MEMORY_LIMIT_BYTES";

  /**
   * The runtime's readiness path on {@code PORT}: the kubelet's readiness probe and the activator's
   * own probe of a starting pod ask it; 200–399 means ready.
   */
  public static final String READY_PATH = "/readyz";

  /** The runtime's liveness path on {@code PORT}, for the kubelet's liveness probe. */
  public static final String LIVE_PATH = "/healthz";

  /** The variables, in a stable order, listening on the spec's port. */
  public Map<String, String> variables() {
    return variables(effective.port());
  }

  /**
   * The variables with another port: local mode runs several processes of one function on one
   * machine, each on a port of its own.
   */
  public Map<String, String> variables(int port) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PORT, Integer.toString(port));
    env.put(FUNCTION, function);
    env.put(NAMESPACE, namespace);
    env.put(TIMEOUT_SECONDS, Integer.toString(effective.timeoutSeconds()));
    env.put(CONCURRENCY_HARD, Integer.toString(effective.hardConcurrency()));
    effective
        .memoryLimitBytes()
        .ifPresent(bytes -> env.put(MEMORY_LIMIT_BYTES, Long.toString(bytes)));
    return env;
  }
}
