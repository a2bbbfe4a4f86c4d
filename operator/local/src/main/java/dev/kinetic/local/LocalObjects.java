package dev.kinetic.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Secrets and ConfigMaps local mode has in place of a cluster's: {@code <name>/<key>=<value>}
 * entries of two files, {@code .kinetic/secrets.properties} and {@code
 * .kinetic/configmaps.properties}. Namespaces are not told apart: a laptop runs one team's
 * functions.
 */
record LocalObjects(Map<String, String> secrets, Map<String, String> configMaps) {
  static final LocalObjects NONE = new LocalObjects(Map.of(), Map.of());

  static LocalObjects ofSecrets(Map<String, String> secrets) {
    return new LocalObjects(secrets, Map.of());
  }

  /** The Secret's keys and values; empty when the file has none. */
  Map<String, String> secret(String name) {
    return keysOf(secrets, name);
  }

  /** The ConfigMap's keys and values; empty when the file has none. */
  Map<String, String> configMap(String name) {
    return keysOf(configMaps, name);
  }

  private static Map<String, String> keysOf(Map<String, String> entries, String name) {
    Map<String, String> keys = new LinkedHashMap<>();
    entries.forEach(
        (entry, value) -> {
          if (entry.startsWith(name + "/")) {
            keys.put(entry.substring(name.length() + 1), value);
          }
        });
    return keys;
  }
}
