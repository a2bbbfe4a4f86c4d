package dev.kinetic.activator;

import java.time.Duration;
import java.util.Map;

/**
 * Every bound the activator enforces, from environment variables; docs/activator.md lists them.
 *
 * @param publicPort the port for callers outside the cluster (what the chart's Ingress and
 *     HTTPRoute reach), where {@code ClusterLocal} functions do not exist; -1: none, as in local
 *     mode
 * @param queueDepth requests one function may have waiting (cold start or all pods full)
 * @param maxQueueWait longest wait for a slot; a function's own timeout caps it further
 * @param eventLoops proxy instances, one per event loop (default: one per core)
 * @param clients what one client connection may hold, and how many there may be
 * @param pods how long connecting to a pod may take, and how long one that refused is left alone
 * @param accessLogQueue lines of the access log not yet written, at most; 0: no access log
 */
public record ActivatorSettings(
    int port,
    int adminPort,
    int publicPort,
    Hosts hosts,
    int queueDepth,
    Duration maxQueueWait,
    int maxHeaderBytes,
    long maxBodyBytes,
    Duration drainTimeout,
    int eventLoops,
    ClientLimits clients,
    PodLimits pods,
    int accessLogQueue) {

  public static ActivatorSettings defaults() {
    return new ActivatorSettings(
        8080,
        8081,
        -1,
        Hosts.DEFAULTS,
        1000,
        Duration.ofSeconds(60),
        32 * 1024,
        2L * 1024 * 1024 * 1024,
        Duration.ofSeconds(30),
        Runtime.getRuntime().availableProcessors(),
        ClientLimits.DEFAULTS,
        PodLimits.DEFAULTS,
        0);
  }

  public static ActivatorSettings fromEnv(Map<String, String> env) {
    ActivatorSettings d = defaults();
    return new ActivatorSettings(
        (int) number(env, "KINETIC_ACTIVATOR_PORT", d.port(), 0, 65535),
        (int) number(env, "KINETIC_ACTIVATOR_ADMIN_PORT", d.adminPort(), 0, 65535),
        (int) number(env, "KINETIC_ACTIVATOR_PUBLIC_PORT", d.publicPort(), -1, 65535),
        Hosts.fromEnv(env),
        (int) number(env, "KINETIC_ACTIVATOR_QUEUE_DEPTH", d.queueDepth(), 0, 1_000_000),
        Duration.ofMillis(
            number(
                env,
                "KINETIC_ACTIVATOR_MAX_QUEUE_WAIT_MS",
                d.maxQueueWait().toMillis(),
                1,
                3_600_000)),
        (int) number(env, "KINETIC_ACTIVATOR_MAX_HEADER_BYTES", d.maxHeaderBytes(), 1024, 1 << 20),
        number(env, "KINETIC_ACTIVATOR_MAX_BODY_BYTES", d.maxBodyBytes(), 0, Long.MAX_VALUE),
        Duration.ofMillis(
            number(
                env,
                "KINETIC_ACTIVATOR_DRAIN_TIMEOUT_MS",
                d.drainTimeout().toMillis(),
                0,
                3_600_000)),
        (int) number(env, "KINETIC_ACTIVATOR_EVENT_LOOPS", d.eventLoops(), 1, 256),
        new ClientLimits(
            millis(env, "KINETIC_ACTIVATOR_CLIENT_HEADER_TIMEOUT_MS", d.clients().header()),
            millis(env, "KINETIC_ACTIVATOR_CLIENT_IDLE_TIMEOUT_MS", d.clients().idle()),
            millis(env, "KINETIC_ACTIVATOR_CLIENT_BODY_TIMEOUT_MS", d.clients().body()),
            (int)
                number(
                    env,
                    "KINETIC_ACTIVATOR_MAX_CONNECTIONS",
                    d.clients().maxConnections(),
                    1,
                    1_000_000),
            Duration.ofMillis(
                number(
                    env,
                    "KINETIC_ACTIVATOR_CLIENT_LINGER_MS",
                    d.clients().linger().toMillis(),
                    0,
                    60_000))),
        new PodLimits(
            Duration.ofMillis(
                number(
                    env,
                    "KINETIC_ACTIVATOR_POD_CONNECT_TIMEOUT_MS",
                    d.pods().connectTimeout().toMillis(),
                    1,
                    60_000)),
            Duration.ofMillis(
                number(
                    env,
                    "KINETIC_ACTIVATOR_REFUSED_POD_PAUSE_MS",
                    d.pods().refusedPause().toMillis(),
                    10,
                    60_000))),
        accessLogQueue(env));
  }

  /** 0 unless KINETIC_ACTIVATOR_ACCESS_LOG is json: then the queue's bound, 10,000 lines unset. */
  private static int accessLogQueue(Map<String, String> env) {
    String log = env.getOrDefault("KINETIC_ACTIVATOR_ACCESS_LOG", "off").trim();
    return switch (log) {
      case "", "off" -> 0;
      case "json" -> (int) number(env, "KINETIC_ACTIVATOR_ACCESS_LOG_QUEUE", 10_000, 1, 1_000_000);
      default ->
          throw new IllegalArgumentException(
              "KINETIC_ACTIVATOR_ACCESS_LOG must be json or off, got '" + log + "'");
    };
  }

  private static Duration millis(Map<String, String> env, String name, Duration fallback) {
    return Duration.ofMillis(number(env, name, fallback.toMillis(), 1, 3_600_000));
  }

  public ActivatorSettings withDrainTimeout(Duration timeout) {
    return new ActivatorSettings(
        port,
        adminPort,
        publicPort,
        hosts,
        queueDepth,
        maxQueueWait,
        maxHeaderBytes,
        maxBodyBytes,
        timeout,
        eventLoops,
        clients,
        pods,
        accessLogQueue);
  }

  public ActivatorSettings withClientLimits(ClientLimits limits) {
    return new ActivatorSettings(
        port,
        adminPort,
        publicPort,
        hosts,
        queueDepth,
        maxQueueWait,
        maxHeaderBytes,
        maxBodyBytes,
        drainTimeout,
        eventLoops,
        limits,
        pods,
        accessLogQueue);
  }

  public ActivatorSettings withQueue(int depth, Duration maxWait) {
    return new ActivatorSettings(
        port,
        adminPort,
        publicPort,
        hosts,
        depth,
        maxWait,
        maxHeaderBytes,
        maxBodyBytes,
        drainTimeout,
        eventLoops,
        clients,
        pods,
        accessLogQueue);
  }

  public ActivatorSettings withPorts(int proxy, int admin) {
    return withPorts(proxy, admin, publicPort);
  }

  /** These ports; {@code outside} is the public one (-1: none). */
  public ActivatorSettings withPorts(int proxy, int admin, int outside) {
    return new ActivatorSettings(
        proxy,
        admin,
        outside,
        hosts,
        queueDepth,
        maxQueueWait,
        maxHeaderBytes,
        maxBodyBytes,
        drainTimeout,
        eventLoops,
        clients,
        pods,
        accessLogQueue);
  }

  public ActivatorSettings withMaxBodyBytes(long bytes) {
    return new ActivatorSettings(
        port,
        adminPort,
        publicPort,
        hosts,
        queueDepth,
        maxQueueWait,
        maxHeaderBytes,
        bytes,
        drainTimeout,
        eventLoops,
        clients,
        pods,
        accessLogQueue);
  }

  static long number(Map<String, String> env, String name, long fallback, long min, long max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
