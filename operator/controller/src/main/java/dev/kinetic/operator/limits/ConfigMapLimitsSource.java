package dev.kinetic.operator.limits;

import dev.kinetic.api.PlatformLimits;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the limits from an informer's cached copy of the {@value PlatformLimits#CONFIG_MAP_NAME}
 * ConfigMap, so a change is seen without a restart and without a request per reconcile or tick.
 */
public final class ConfigMapLimitsSource implements LimitsSource {
  private final Supplier<Optional<ConfigMap>> cached;

  /**
   * @param cached the ConfigMap as the informer last saw it; empty when it does not exist
   */
  public ConfigMapLimitsSource(Supplier<Optional<ConfigMap>> cached) {
    this.cached = cached;
  }

  @Override
  public LimitsReading current() {
    return cached
        .get()
        .map(ConfigMapLimitsSource::read)
        .orElse(LimitsReading.of(PlatformLimits.NONE));
  }

  static LimitsReading read(ConfigMap configMap) {
    try {
      return LimitsReading.of(PlatformLimits.fromConfigMapData(configMap.getData()));
    } catch (IllegalArgumentException e) {
      return LimitsReading.unreadable(e.getMessage());
    }
  }
}
