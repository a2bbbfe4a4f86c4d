package dev.kinetic.operator.limits;

import dev.kinetic.api.PlatformLimits;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Reads the limits from the informer cache of the {@value PlatformLimits#CONFIG_MAP_NAME}
 * ConfigMap, so a change is seen without a restart and without a request per reconcile.
 */
public final class ConfigMapLimitsSource implements LimitsSource {
  private final InformerEventSource<ConfigMap, ?> configMaps;
  private final ResourceID id;

  public ConfigMapLimitsSource(InformerEventSource<ConfigMap, ?> configMaps, String namespace) {
    this.configMaps = configMaps;
    this.id = new ResourceID(PlatformLimits.CONFIG_MAP_NAME, namespace);
  }

  @Override
  public LimitsReading current() {
    return configMaps
        .get(id)
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
