package dev.kinetic.local;

import dev.kinetic.api.FunctionSpec;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Function's own variables as local mode sets them, in a Pod's order: {@code envFrom} first (each
 * key of a whole Secret or ConfigMap, with its prefix), then {@code env}, which wins. References
 * resolve from the local files ({@link LocalObjects}); one that is missing there stays unset, as an
 * optional one would in a Pod. A value naming a path under a volume's mountPath points at that
 * volume's folder here. Pure.
 */
final class LocalEnvironment {
  private LocalEnvironment() {}

  static Map<String, String> variables(
      FunctionSpec spec, LocalObjects objects, LocalVolumes volumes) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource source :
        spec.getEnvFrom() == null ? List.<EnvFromSource>of() : spec.getEnvFrom()) {
      String prefix = source.getPrefix() == null ? "" : source.getPrefix();
      Map<String, String> keys =
          source.getSecretRef() != null
              ? objects.secret(source.getSecretRef().getName())
              : source.getConfigMapRef() != null
                  ? objects.configMap(source.getConfigMapRef().getName())
                  : Map.of();
      keys.forEach((key, value) -> env.put(prefix + key, volumes.rewrite(value)));
    }
    for (EnvVar var : spec.envOrEmpty()) {
      String value = value(var, objects);
      if (value != null) {
        env.put(var.getName(), volumes.rewrite(value));
      }
    }
    return env;
  }

  private static String value(EnvVar var, LocalObjects objects) {
    if (var.getValue() != null) {
      return var.getValue();
    }
    if (var.getValueFrom() == null) {
      return null;
    }
    if (var.getValueFrom().getSecretKeyRef() != null) {
      var ref = var.getValueFrom().getSecretKeyRef();
      return objects.secret(ref.getName()).get(ref.getKey());
    }
    if (var.getValueFrom().getConfigMapKeyRef() != null) {
      var ref = var.getValueFrom().getConfigMapKeyRef();
      return objects.configMap(ref.getName()).get(ref.getKey());
    }
    return null;
  }
}
