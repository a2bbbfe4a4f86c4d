package dev.kinetic.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Function manifests for the generated-manifest test: a valid one, then up to three mutations, each
 * setting one field to a value drawn from a pool of troublemakers (wrong types, numbers out of
 * range, bad quantities and durations, reserved and empty names, huge strings, odd Unicode) or
 * removing it, or adding a field the schema does not know. The same seed gives the same manifest.
 */
final class ManifestGenerator {
  private static final String[] PATHS = {
    "metadata.name",
    "spec",
    "spec.image",
    "spec.port",
    "spec.timeoutSeconds",
    "spec.command",
    "spec.args",
    "spec.env",
    "spec.env.0.name",
    "spec.env.0.value",
    "spec.concurrency",
    "spec.concurrency.hard",
    "spec.concurrency.target",
    "spec.scale",
    "spec.scale.min",
    "spec.scale.max",
    "spec.scale.initial",
    "spec.scale.idleTimeout",
    "spec.scale.window",
    "spec.scale.targetUtilization",
    "spec.scale.scaleDownDelay",
    "spec.resources.limits.memory",
    "spec.resources.limits.ephemeral-storage",
    "spec.resources.requests.cpu",
    "spec.volumes",
    "spec.volumes.0.name",
    "spec.volumes.0.mountPath",
    "spec.volumes.0.secret",
    "spec.volumes.0.secret.secretName",
    "spec.volumes.0.secret.items.0.path",
    "spec.volumes.0.configMap",
    "spec.nodeSelector",
    "spec.nodeSelector.pool",
    "spec.tolerations",
    "spec.tolerations.0.key",
    "spec.tolerations.0.operator",
    "spec.tolerations.0.effect",
    "spec.tolerations.0.tolerationSeconds",
    "spec.domains",
    "spec.domains.0",
    "spec.serviceAccountName",
    "spec.surprise",
    "spec.scale.surprise",
  };

  private static final List<Object> VALUES =
      Arrays.asList(
          -1L,
          0L,
          1L,
          3L,
          65535L,
          65536L,
          3601L,
          Integer.MAX_VALUE + 1L,
          Long.MAX_VALUE,
          2.5,
          "",
          "x",
          "hello",
          "256Mi",
          "lots",
          "-1Gi",
          "0",
          "1e3",
          "5s",
          "30s",
          "1h30m",
          "5d",
          "-5s",
          "PORT",
          "Exists",
          "NoExecute",
          "KINETIC_TOKEN",
          "Ünïcødé",
          "😀",
          "a\u0000b",
          "../x",
          "/tmp",
          "/etc/app",
          "/devtools",
          "x".repeat(5000),
          true,
          List.of(),
          List.of("a"),
          Map.of(),
          null);

  private ManifestGenerator() {}

  /** The manifest of a seed; {@code name} keeps generated names apart. */
  static Map<String, Object> generate(long seed, String name) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Object> manifest = valid(name);
    int mutations = random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      String path = PATHS[random.nextInt(PATHS.length)];
      Object value = VALUES.get(random.nextInt(VALUES.size()));
      if (path.equals("metadata.name") && value instanceof String s && !s.isEmpty()) {
        value = s + "-" + name; // still unique, still as odd
      }
      // Fresh containers: a later mutation may write into them.
      if (value instanceof Map<?, ?> map) {
        value = new LinkedHashMap<>(map);
      } else if (value instanceof List<?> list) {
        value = new ArrayList<>(list);
      }
      set(manifest, path.split("\\."), value);
    }
    return manifest;
  }

  private static Map<String, Object> valid(String name) {
    Map<String, Object> env = new LinkedHashMap<>(Map.of("name", "GREETING", "value", "hi"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("image", "example.com/hello:1");
    spec.put("port", 8080L);
    spec.put("timeoutSeconds", 30L);
    spec.put("env", new ArrayList<>(List.of(env)));
    spec.put("concurrency", new LinkedHashMap<>(Map.of("hard", 10L, "target", 7L)));
    spec.put("scale", new LinkedHashMap<>(Map.of("min", 0L, "max", 5L, "idleTimeout", "60s")));
    spec.put(
        "resources",
        new LinkedHashMap<>(Map.of("limits", new LinkedHashMap<>(Map.of("memory", "256Mi")))));
    Map<String, Object> item = new LinkedHashMap<>(Map.of("key", "token", "path", "token"));
    Map<String, Object> secret =
        new LinkedHashMap<>(Map.of("secretName", "api", "items", new ArrayList<>(List.of(item))));
    spec.put(
        "volumes",
        new ArrayList<>(
            List.of(
                new LinkedHashMap<>(
                    Map.of(
                        "name", "api", "mountPath", "/var/run/secrets/api", "secret", secret)))));
    spec.put("nodeSelector", new LinkedHashMap<>(Map.of("pool", "functions")));
    spec.put(
        "tolerations",
        new ArrayList<>(
            List.of(
                new LinkedHashMap<>(
                    Map.of("key", "dedicated", "value", "functions", "effect", "NoSchedule")))));
    spec.put("domains", new ArrayList<>(List.of(name + ".example.com")));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("apiVersion", "kinetic.dev/v1alpha1");
    manifest.put("kind", "Function");
    manifest.put("metadata", new LinkedHashMap<>(Map.of("name", name)));
    manifest.put("spec", spec);
    return manifest;
  }

  /**
   * Sets (or, for null, removes) the value at the path, making maps on the way; a path through a
   * value that is not a map or list is left alone.
   */
  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> root, String[] path, Object value) {
    Object node = root;
    for (int i = 0; i < path.length - 1; i++) {
      Object next;
      if (node instanceof Map<?, ?> map) {
        next = map.get(path[i]);
        if (next == null) {
          next = new LinkedHashMap<String, Object>();
          ((Map<String, Object>) map).put(path[i], next);
        }
      } else if (node instanceof List<?> list && path[i].matches("\\d+")) {
        int index = Integer.parseInt(path[i]);
        if (index >= list.size()) {
          return;
        }
        next = list.get(index);
      } else {
        return;
      }
      node = next;
    }
    String last = path[path.length - 1];
    if (node instanceof Map<?, ?> map) {
      if (value == null) {
        map.remove(last);
      } else {
        ((Map<String, Object>) map).put(last, value);
      }
    }
  }
}
