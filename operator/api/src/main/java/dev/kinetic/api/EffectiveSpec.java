package dev.kinetic.api;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Function spec with every default filled in and the platform limits applied where the user left
 * a field open. The API server applies the schema defaults too, but manifests in local mode and
 * objects read from older servers may lack them, so no consumer reads the raw spec.
 *
 * @param hardConcurrency per-pod cap; 0 means unlimited
 * @param targetRequestsPerSecond per-pod requests per second the autoscaler also aims for; 0: none
 * @param maxScale most pods; empty when neither the user nor the admin set one
 * @param window the autoscaler's stable window
 * @param targetUtilizationPercent the percent of the targets each pod is aimed at
 * @param scaleDownDelay how long the autoscaler keeps the most pods it wanted before fewer
 * @param memoryLimitBytes the pods' memory limit, when one is set (by the user or the admin cap)
 * @param probePath the path whose GET tells a pod is ready; empty: a TCP connection to its port
 * @param placement the Function's node labels and tolerations within the platform's
 * @param visibility who may call it: the Function's own, else the platform's default
 */
public record EffectiveSpec(
    int port,
    int timeoutSeconds,
    int hardConcurrency,
    int targetConcurrency,
    int targetRequestsPerSecond,
    int minScale,
    Optional<Integer> maxScale,
    int initialScale,
    Duration idleTimeout,
    Duration window,
    int targetUtilizationPercent,
    Duration scaleDownDelay,
    OptionalLong memoryLimitBytes,
    Optional<String> probePath,
    Placement placement,
    Visibility visibility) {

  /** Used as the target when there is no hard limit, as Knative does. */
  public static final int DEFAULT_TARGET_WITHOUT_HARD = 100;

  /** The target as a share of the hard limit, leaving head room for bursts. */
  public static final double DEFAULT_TARGET_SHARE_OF_HARD = 0.7;

  /**
   * As {@link #of}, with every resource quantity checked too (the first bad one is named): what the
   * operator and local mode accept a spec by. The activator reads {@link #of} on every request and
   * needs no CPU request parsed for that.
   */
  public static EffectiveSpec checked(FunctionSpec spec, PlatformLimits limits) {
    if (spec.getResources() != null) {
      spec.getResources().toRequirements();
    }
    for (FunctionVolume volume : spec.volumesOrEmpty()) {
      if (volume.getEmptyDir() != null && volume.getEmptyDir().getSizeLimit() != null) {
        FunctionResources.quantity(
            "spec.volumes[" + volume.getName() + "].emptyDir.sizeLimit",
            volume.getEmptyDir().getSizeLimit());
      }
    }
    return of(spec, limits);
  }

  public static EffectiveSpec of(FunctionSpec spec, PlatformLimits limits) {
    ConcurrencySpec concurrency =
        spec.getConcurrency() == null ? new ConcurrencySpec() : spec.getConcurrency();
    ScaleSpec scale = spec.getScale() == null ? new ScaleSpec() : spec.getScale();

    // hard = 0 means "unlimited"; under an admin cap, unlimited becomes the cap.
    int hard = orDefault(concurrency.getHard(), 0);
    if (hard == 0 && limits.maxConcurrency().isPresent()) {
      hard = limits.maxConcurrency().getAsInt();
    }
    int target =
        concurrency.getTarget() != null
            ? concurrency.getTarget()
            : hard > 0
                ? Math.max(1, (int) Math.floor(hard * DEFAULT_TARGET_SHARE_OF_HARD))
                : DEFAULT_TARGET_WITHOUT_HARD;

    Optional<Integer> max = Optional.ofNullable(scale.getMax());
    if (max.isEmpty() && limits.maxReplicas().isPresent()) {
      max = Optional.of(limits.maxReplicas().getAsInt());
    }
    int min = orDefault(scale.getMin(), 0);
    int initial = orDefault(scale.getInitial(), min);

    OptionalLong memory = memoryLimitBytes(spec);
    if (memory.isEmpty()) {
      memory = limits.maxMemoryBytes();
    }
    return new EffectiveSpec(
        orDefault(spec.getPort(), FunctionSpec.DEFAULT_PORT),
        orDefault(spec.getTimeoutSeconds(), FunctionSpec.DEFAULT_TIMEOUT_SECONDS),
        hard,
        target,
        orDefault(scale.getTargetRequestsPerSecond(), 0),
        min,
        max,
        initial,
        Durations.parse(
            scale.getIdleTimeout() == null
                ? ScaleSpec.DEFAULT_IDLE_TIMEOUT
                : scale.getIdleTimeout()),
        Durations.parse(scale.getWindow() == null ? ScaleSpec.DEFAULT_WINDOW : scale.getWindow()),
        orDefault(scale.getTargetUtilization(), ScaleSpec.DEFAULT_TARGET_UTILIZATION),
        Durations.parse(
            scale.getScaleDownDelay() == null
                ? ScaleSpec.DEFAULT_SCALE_DOWN_DELAY
                : scale.getScaleDownDelay()),
        memory,
        Optional.ofNullable(spec.getProbe()).map(ProbeSpec::getPath),
        limits.placement().around(spec),
        Visibility.of(spec, limits));
  }

  /**
   * The memory limit the user wrote, in bytes.
   *
   * @throws IllegalArgumentException naming the field and the value when it is not a positive
   *     quantity
   */
  public static OptionalLong memoryLimitBytes(FunctionSpec spec) {
    if (spec.getResources() == null || spec.getResources().limit("memory") == null) {
      return OptionalLong.empty();
    }
    String field = "spec.resources.limits.memory";
    String text = spec.getResources().limit("memory");
    BigDecimal bytes = Quantity.getAmountInBytes(FunctionResources.quantity(field, text));
    if (bytes.signum() <= 0) {
      throw new IllegalArgumentException(field + ": '" + text + "' must be more than zero");
    }
    return OptionalLong.of(bytes.longValue());
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
