package dev.kinetic.dispatcher.cluster;

import dev.kinetic.api.Durations;
import dev.kinetic.dispatcher.kafka.KafkaStreams;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The dispatcher process' settings, from {@code KINETIC_DISPATCHER_*} environment variables
 * (docs/triggers.md lists them with their defaults).
 *
 * @param activator where events go: the activator's Service
 * @param namespace the dispatcher's own namespace, where its Lease lives
 * @param identity this replica's name in the Lease (its pod name)
 * @param lease the Lease's name: replicas with the same one elect one leader that fires
 * @param leaseDuration how long a leader that stopped renewing keeps the Lease: after a crash,
 *     schedules pause at most this long before another replica fires them
 * @param renewDeadline a leader that could not renew for this long stops firing (shorter than the
 *     lease, so it has stopped before anyone else may start)
 * @param retryPeriod how often the Lease is tried and renewed
 * @param statusInterval at most one status write per Trigger per this interval
 * @param adminPort /metrics, /healthz and /readyz
 * @param maxInFlightPerTrigger events of one Trigger being delivered at once, at most
 * @param kafka Kafka Triggers' buffer per partition, commit interval and broker probe
 */
public record DispatcherSettings(
    URI activator,
    String namespace,
    String identity,
    String lease,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration statusInterval,
    int adminPort,
    int maxInFlightPerTrigger,
    KafkaStreams.Settings kafka) {

  public DispatcherSettings {
    if (!renewDeadline.minus(leaseDuration).isNegative()) {
      throw new IllegalArgumentException(
          "KINETIC_DISPATCHER_RENEW_DEADLINE ("
              + renewDeadline
              + ") must be shorter than KINETIC_DISPATCHER_LEASE_DURATION ("
              + leaseDuration
              + "): a leader must stop before another may start");
    }
    if (kafka.bufferPerPartition() < 1) {
      throw new IllegalArgumentException(
          "KINETIC_DISPATCHER_KAFKA_BUFFER_PER_PARTITION must be at least 1");
    }
    if (maxInFlightPerTrigger < 1) {
      throw new IllegalArgumentException("KINETIC_DISPATCHER_MAX_IN_FLIGHT must be at least 1");
    }
  }

  public static DispatcherSettings fromEnv(Map<String, String> env) {
    String namespace = get(env, "NAMESPACE").orElse("kinetic-system");
    return new DispatcherSettings(
        URI.create(
            get(env, "ACTIVATOR_URL")
                .orElse("http://kinetic-activator." + namespace + ".svc.cluster.local")),
        namespace,
        get(env, "POD_NAME").orElseGet(() -> "dispatcher-" + ProcessHandle.current().pid()),
        get(env, "LEASE_NAME").orElse("kinetic-dispatcher"),
        duration(env, "LEASE_DURATION", "15s"),
        duration(env, "RENEW_DEADLINE", "10s"),
        duration(env, "RETRY_PERIOD", "2s"),
        duration(env, "STATUS_INTERVAL", "1s"),
        Integer.parseInt(get(env, "ADMIN_PORT").orElse("8081")),
        Integer.parseInt(get(env, "MAX_IN_FLIGHT").orElse("100")),
        new KafkaStreams.Settings(
            Integer.parseInt(get(env, "KAFKA_BUFFER_PER_PARTITION").orElse("100")),
            duration(env, "KAFKA_COMMIT_INTERVAL", "1s"),
            duration(env, "KAFKA_PROBE_INTERVAL", "5s"),
            duration(env, "KAFKA_PROBE_TIMEOUT", "5s")));
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get("KINETIC_DISPATCHER_" + name)).filter(v -> !v.isBlank());
  }

  private static Duration duration(Map<String, String> env, String name, String fallback) {
    String value = get(env, name).orElse(fallback);
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "KINETIC_DISPATCHER_" + name + "='" + value + "' is not a duration such as 15s", e);
    }
  }
}
