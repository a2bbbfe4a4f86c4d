package dev.kinetic.api;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Limits a cluster admin sets for every Function, read from the {@value #CONFIG_MAP_NAME} ConfigMap
 * in the operator's namespace. An absent key means "no platform limit".
 *
 * @param maxConcurrency most requests a pod may be given at once ({@code concurrency.hard})
 * @param maxReplicas most pods one function may have ({@code scale.max}, {@code scale.min})
 * @param maxTotalReplicas most pods all functions together may have (applied by the autoscaler)
 * @param maxTimeoutSeconds longest per-request timeout ({@code timeoutSeconds})
 * @param maxMemoryBytes largest memory limit of a function pod ({@code resources.limits.memory})
 * @param placement the nodes every function pod must run on, the taints they tolerate and their
 *     priority, around each Function's own ({@code nodeSelector}, {@code tolerations})
 * @param domains the domains the Functions of each namespace may hold ({@code spec.domains})
 * @param visibility who may call a Function that does not say ({@code spec.visibility})
 */
public record PlatformLimits(
    OptionalInt maxConcurrency,
    OptionalInt maxReplicas,
    OptionalInt maxTotalReplicas,
    OptionalInt maxTimeoutSeconds,
    OptionalLong maxMemoryBytes,
    Placement placement,
    DomainPolicy domains,
    Visibility visibility) {

  public static final String CONFIG_MAP_NAME = "kinetic-platform-limits";
  public static final String MAX_CONCURRENCY = "maxConcurrency";
  public static final String MAX_REPLICAS = "maxReplicas";
  public static final String MAX_TOTAL_REPLICAS = "maxTotalReplicas";
  public static final String MAX_TIMEOUT_SECONDS = "maxTimeoutSeconds";
  public static final String MAX_MEMORY = "maxMemory";
  public static final String FUNCTION_NODE_SELECTOR = "functionNodeSelector";
  public static final String FUNCTION_TOLERATIONS = "functionTolerations";
  public static final String FUNCTION_PRIORITY_CLASS_NAME = "functionPriorityClassName";
  public static final String FUNCTION_DOMAINS = "functionDomains";
  public static final String FUNCTION_VISIBILITY = "functionVisibility";

  private static final Set<String> KEYS =
      Set.of(
          MAX_CONCURRENCY,
          MAX_REPLICAS,
          MAX_TOTAL_REPLICAS,
          MAX_TIMEOUT_SECONDS,
          MAX_MEMORY,
          FUNCTION_NODE_SELECTOR,
          FUNCTION_TOLERATIONS,
          FUNCTION_PRIORITY_CLASS_NAME,
          FUNCTION_DOMAINS,
          FUNCTION_VISIBILITY);

  public static final PlatformLimits NONE =
      new PlatformLimits(
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalLong.empty(),
          Placement.NONE,
          DomainPolicy.ANY,
          Visibility.PUBLIC);

  /**
   * Reads the ConfigMap's data. A typo must not silently lift a limit, so unknown keys and values
   * that are not positive numbers are errors.
   *
   * @throws IllegalArgumentException naming the key and the value
   */
  public static PlatformLimits fromConfigMapData(Map<String, String> data) {
    if (data == null || data.isEmpty()) {
      return NONE;
    }
    Set<String> unknown = new TreeSet<>(data.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          CONFIG_MAP_NAME
              + " has unknown keys "
              + unknown
              + "; known keys are "
              + new TreeSet<>(KEYS));
    }
    return new PlatformLimits(
        positiveInt(data, MAX_CONCURRENCY),
        positiveInt(data, MAX_REPLICAS),
        positiveInt(data, MAX_TOTAL_REPLICAS),
        positiveInt(data, MAX_TIMEOUT_SECONDS),
        memory(data),
        Placement.fromConfigMapData(data),
        DomainPolicy.fromConfigMapData(data.get(FUNCTION_DOMAINS)),
        visibility(data.get(FUNCTION_VISIBILITY)));
  }

  private static Visibility visibility(String raw) {
    if (raw == null || raw.isBlank()) {
      return Visibility.PUBLIC;
    }
    return switch (raw.trim()) {
      case "Public" -> Visibility.PUBLIC;
      case "ClusterLocal" -> Visibility.CLUSTER_LOCAL;
      default ->
          throw new IllegalArgumentException(
              CONFIG_MAP_NAME
                  + " key "
                  + FUNCTION_VISIBILITY
                  + " must be Public or ClusterLocal, got '"
                  + raw
                  + "'");
    };
  }

  private static OptionalInt positiveInt(Map<String, String> data, String key) {
    String raw = data.get(key);
    if (raw == null) {
      return OptionalInt.empty();
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value > 0) {
        return OptionalInt.of(value);
      }
    } catch (NumberFormatException e) {
      // reported below with the key, which the exception does not know
    }
    throw new IllegalArgumentException(
        CONFIG_MAP_NAME + " key " + key + " must be a positive whole number, got '" + raw + "'");
  }

  private static OptionalLong memory(Map<String, String> data) {
    String raw = data.get(MAX_MEMORY);
    if (raw == null) {
      return OptionalLong.empty();
    }
    Optional<BigDecimal> bytes = Quantities.bytes(raw.trim());
    if (bytes.isEmpty() || bytes.get().signum() <= 0) {
      throw new IllegalArgumentException(
          CONFIG_MAP_NAME
              + " key "
              + MAX_MEMORY
              + " must be a memory quantity such as 2Gi, got '"
              + raw
              + "'");
    }
    return OptionalLong.of(bytes.get().longValue());
  }

  /** Memory quantities, without letting fabric8's parser exceptions escape. */
  static final class Quantities {
    private Quantities() {}

    static Optional<BigDecimal> bytes(String text) {
      try {
        return Optional.of(Quantity.getAmountInBytes(new Quantity(text)));
      } catch (IllegalArgumentException | ArithmeticException e) {
        return Optional.empty();
      }
    }
  }
}
