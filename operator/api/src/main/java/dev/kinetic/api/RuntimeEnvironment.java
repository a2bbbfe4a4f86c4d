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
  public static final String METRICS_PORT = "KINETIC_METRICS_PORT";

  /**
   * Where the runtime serves Prometheus text in a pod, unless the function itself listens there.
   */
  public static final int DEFAULT_METRICS_PORT = 9090;

  /**
   * The runtime's readiness path on {@code PORT}: the kubelet's readiness probe and the activator's
   * own probe of a starting pod ask it; 200–399 means ready.
   */
  public static final String READY_PATH = "/readyz";

  /** The runtime's liveness path on {@code PORT}, for the kubelet's liveness probe. */
  public static final String LIVE_PATH = "/healthz";

  /**
   * The variables of a pod, in a stable order: listening on the spec's port, with the metrics on
   * {@link #metricsPort}.
   */
  public Map<String, String> variables() {
    Map<String, String> env = variables(effective.port());
    env.put(METRICS_PORT, Integer.toString(metricsPort(effective.port())));
    return env;
  }

  /**
   * The runtime's metrics port in a pod: 9090, or 9091 for a function that listens on 9090 itself
   * (two servers cannot share a port, and the function's own is the one it was told).
   */
  public static int metricsPort(int functionPort) {
    return functionPort == DEFAULT_METRICS_PORT ? DEFAULT_METRICS_PORT + 1 : DEFAULT_METRICS_PORT;
  }

  /**
   * The variables with another port: local mode runs several processes of one function on one
   * machine, each on a port of its own (and its metrics on another of its own, which it sets).
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
