package dev.kinetic.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The host's settings, from environment variables the operator (or local mode) sets from the
 * Function's manifest. Every bound the host enforces is one of these; docs/runtime.md lists them.
 *
 * @param namespace the Function's namespace (empty when not run by the platform), in every log line
 * @param hardConcurrency most requests handled at once; 0 means "no per-function limit", and then
 *     {@code maxInFlight} still bounds the process
 * @param memoryLimitBytes the container's memory limit, for GB-second metering; 0 when unknown
 */
public record RuntimeSettings(
    String functionName,
    String namespace,
    int port,
    int metricsPort,
    Duration timeout,
    int hardConcurrency,
    int maxInFlight,
    int maxBodyBytes,
    int maxHeaderBytes,
    long memoryLimitBytes,
    Optional<String> functionClass) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
  public static final int DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
  public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;

  public RuntimeSettings {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the request timeout must be positive, got " + timeout);
    }
  }

  /** The most requests this process handles at once. */
  public int concurrencyLimit() {
    return hardConcurrency > 0 ? hardConcurrency : maxInFlight;
  }

  /** Reads the settings; a value that does not parse is an error that names the variable. */
  public static RuntimeSettings fromEnv(Map<String, String> env) {
    return new RuntimeSettings(
        env.getOrDefault("KINETIC_FUNCTION", "function"),
        env.getOrDefault("KINETIC_NAMESPACE", ""),
        intIn(env, "PORT", 8080, 0, 65535),
        intIn(env, "KINETIC_METRICS_PORT", 9090, 0, 65535),
        Duration.ofSeconds(intIn(env, "KINETIC_TIMEOUT_SECONDS", 30, 1, 3600)),
        intIn(env, "KINETIC_CONCURRENCY_HARD", 0, 0, 100_000),
        intIn(env, "KINETIC_MAX_IN_FLIGHT", DEFAULT_MAX_IN_FLIGHT, 1, 100_000),
        intIn(env, "KINETIC_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 0, Integer.MAX_VALUE - 8),
        intIn(env, "KINETIC_MAX_HEADER_BYTES", DEFAULT_MAX_HEADER_BYTES, 1024, 1024 * 1024),
        longIn(env, "KINETIC_MEMORY_LIMIT_BYTES", 0, 0, Long.MAX_VALUE),
        nonBlank(env.get("KINETIC_FUNCTION_CLASS")));
  }

  /** Settings for tests: ephemeral ports, everything else at its default. */
  public static RuntimeSettings forTest(String functionName) {
    return new RuntimeSettings(
        functionName,
        "default",
        0,
        0,
        Duration.ofSeconds(30),
        0,
        DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_HEADER_BYTES,
        0,
        Optional.empty());
  }

  public RuntimeSettings withTimeout(Duration value) {
    return new RuntimeSettings(
        functionName,
        namespace,
        port,
        metricsPort,
        value,
        hardConcurrency,
        maxInFlight,
        maxBodyBytes,
        maxHeaderBytes,
        memoryLimitBytes,
        functionClass);
  }

  public RuntimeSettings withHardConcurrency(int value) {
    return new RuntimeSettings(
        functionName,
        namespace,
        port,
        metricsPort,
        timeout,
        value,
        maxInFlight,
        maxBodyBytes,
        maxHeaderBytes,
        memoryLimitBytes,
        functionClass);
  }

  public RuntimeSettings withSizeLimits(int bodyBytes, int headerBytes) {
    return new RuntimeSettings(
        functionName,
        namespace,
        port,
        metricsPort,
        timeout,
        hardConcurrency,
        maxInFlight,
        bodyBytes,
        headerBytes,
        memoryLimitBytes,
        functionClass);
  }

  public RuntimeSettings withMemoryLimitBytes(long value) {
    return new RuntimeSettings(
        functionName,
        namespace,
        port,
        metricsPort,
        timeout,
        hardConcurrency,
        maxInFlight,
        maxBodyBytes,
        maxHeaderBytes,
        value,
        functionClass);
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static int intIn(Map<String, String> env, String name, int fallback, int min, int max) {
    return (int) longIn(env, name, fallback, min, max);
  }

  private static long longIn(
      Map<String, String> env, String name, long fallback, long min, long max) {
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
