package dev.kinetic.operator.resources;

import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.FunctionVolume;
import dev.kinetic.api.VolumeItem;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * A Function's {@code volumes} as the pod's volumes and the container's mounts: a Secret or a
 * ConfigMap read-only, so a function cannot change what another pod of it reads; an emptyDir, the
 * pod's own, writable. Pure.
 */
final class FunctionVolumes {
  private FunctionVolumes() {}

  static List<Volume> volumes(FunctionSpec spec) {
    return spec.volumesOrEmpty().stream().map(v -> volume(v, spec)).toList();
  }

  static List<VolumeMount> mounts(FunctionSpec spec) {
    return spec.volumesOrEmpty().stream()
        .map(
            v ->
                new VolumeMountBuilder()
                    .withName(v.getName())
                    .withMountPath(v.getMountPath())
                    // Absent, not false, where writable: the API server stores false as absent.
                    .withReadOnly(v.getEmptyDir() == null ? true : null)
                    .build())
        .toList();
  }

  private static Volume volume(FunctionVolume v, FunctionSpec spec) {
    VolumeBuilder volume = new VolumeBuilder().withName(v.getName());
    if (v.getEmptyDir() != null) {
      String medium = v.getEmptyDir().getMedium();
      String size = v.getEmptyDir().getSizeLimit();
      return volume
          .withNewEmptyDir()
          .withMedium(medium == null || medium.isEmpty() ? null : medium)
          // Bounded always, as /tmp is: without a limit one pod could fill its node's disk.
          .withSizeLimit(size == null ? FunctionDeployments.tmpSize(spec) : new Quantity(size))
          .endEmptyDir()
          .build();
    }
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
