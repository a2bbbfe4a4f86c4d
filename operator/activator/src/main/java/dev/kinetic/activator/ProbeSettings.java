package dev.kinetic.activator;

import java.time.Duration;
import java.util.Map;

/**
 * How the activator probes starting pods itself ({@link ProbingRouteTable}); docs/activator.md
 * lists the variables.
 *
 * @param interval time between two probes of one starting pod; zero: no probing, a pod serves once
 *     its EndpointSlice says ready
 * @param window how long a pod is probed after it appeared; after that the kubelet's probe alone
 *     decides
 * @param timeout the most one probe may take
 */
record ProbeSettings(Duration interval, Duration window, Duration timeout) {
  static final ProbeSettings DEFAULTS =
      new ProbeSettings(Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofSeconds(1));

  boolean enabled() {
    return !interval.isZero();
  }

  static ProbeSettings fromEnv(Map<String, String> env) {
    return new ProbeSettings(
        Duration.ofMillis(
            ActivatorSettings.number(
                env,
                "KINETIC_ACTIVATOR_PROBE_INTERVAL_MS",
                DEFAULTS.interval.toMillis(),
                0,
                10_000)),
        Duration.ofMillis(
            ActivatorSettings.number(
                env, "KINETIC_ACTIVATOR_PROBE_WINDOW_MS", DEFAULTS.window.toMillis(), 0, 600_000)),
        Duration.ofMillis(
            ActivatorSettings.number(
                env,
                "KINETIC_ACTIVATOR_PROBE_TIMEOUT_MS",
                DEFAULTS.timeout.toMillis(),
                1,
                60_000)));
  }
}
