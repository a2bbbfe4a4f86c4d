package dev.kinetic.operator.resources;

import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.FunctionVolume;
import dev.kinetic.api.VolumeItem;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * A Function's {@code volumes} as the pod's volumes and the container's mounts: always read-only,
 * so a function cannot change what another pod of it reads. Pure.
 */
final class FunctionVolumes {
  private FunctionVolumes() {}

  static List<Volume> volumes(FunctionSpec spec) {
    return spec.volumesOrEmpty().stream().map(FunctionVolumes::volume).toList();
  }

  static List<VolumeMount> mounts(FunctionSpec spec) {
    return spec.volumesOrEmpty().stream()
        .map(
            v ->
                new VolumeMountBuilder()
                    .withName(v.getName())
                    .withMountPath(v.getMountPath())
                    .withReadOnly(true)
                    .build())
        .toList();
  }

  private static Volume volume(FunctionVolume v) {
    VolumeBuilder volume = new VolumeBuilder().withName(v.getName());
    if (v.getSecret() != null) {
      return volume
          .withNewSecret()
          .withSecretName(v.getSecret().getSecretName())
          .withItems(items(v.getSecret().getItems()))
          .withOptional(v.getSecret().getOptional())
          .endSecret()
          .build();
    }
    return volume
        .withNewConfigMap()
        .withName(v.getConfigMap().getName())
        .withItems(items(v.getConfigMap().getItems()))
        .withOptional(v.getConfigMap().getOptional())
        .endConfigMap()
        .build();
  }

  private static List<KeyToPath> items(List<VolumeItem> items) {
    return items == null
        ? null
        : items.stream().map(i -> new KeyToPath(i.getKey(), null, i.getPath())).toList();
  }
}
