package dev.kinetic.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Toleration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a function's pods may run: the node labels they need, the taints they tolerate, and their
 * priority. The platform's (an admin's, from the {@value PlatformLimits#CONFIG_MAP_NAME} ConfigMap)
 * bound every Function's own: on a key both name, the platform's label wins, so a Function can
 * narrow where it runs but not leave the nodes the platform gives functions. The priority is the
 * platform's alone: a Function cannot raise its pods above others.
 *
 * @param nodeSelector sorted, so the same labels always make the same pod template
 * @param priorityClassName the PriorityClass of every function pod; empty: the cluster's default
 */
public record Placement(
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    Optional<String> priorityClassName) {
  /**
   * A label key: an optional DNS-subdomain prefix and a slash, then a name of at most 63
   * characters. The prefix's length (at most 253) is left to the API server's check of the
   * Deployment. Shared with the CRD's rule on {@code spec.nodeSelector}.
   */
  public static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  private static final Pattern KEY = Pattern.compile(LABEL_KEY);
  private static final Pattern SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern VALUE =
      Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");
  private static final Set<String> OPERATORS = Set.of("Exists", "Equal");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  // YAML, which JSON is a subset of: the chart writes JSON, an admin by hand may write either.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static final Placement NONE = new Placement(Map.of(), List.of(), Optional.empty());

  public Placement {
    nodeSelector = Collections.unmodifiableMap(new TreeMap<>(nodeSelector));
    tolerations = List.copyOf(tolerations);
  }

  /** A Function's own placement within this one (the platform's). */
  public Placement around(FunctionSpec spec) {
    Map<String, String> labels = new TreeMap<>();
    if (spec.getNodeSelector() != null) {
      labels.putAll(spec.getNodeSelector());
    }
    labels.putAll(nodeSelector);
    List<Toleration> all = new ArrayList<>();
    if (spec.getTolerations() != null) {
      all.addAll(spec.getTolerations());
    }
    for (Toleration t : tolerations) {
      if (!all.contains(t)) {
        all.add(t);
      }
    }
    return new Placement(labels, all, priorityClassName);
  }

  /**
   * Reads an admin's placement from the limits ConfigMap: node labels and tolerations as YAML (or
   * JSON), a PriorityClass by name; each may be absent. A typo must not silently let functions onto
   * other nodes, so anything that is not a label or a toleration field is an error.
   *
   * @throws IllegalArgumentException naming the key and what is wrong
   */
  static Placement fromConfigMapData(Map<String, String> data) {
    return new Placement(
        labels(
            PlatformLimits.FUNCTION_NODE_SELECTOR, data.get(PlatformLimits.FUNCTION_NODE_SELECTOR)),
        tolerations(
            PlatformLimits.FUNCTION_TOLERATIONS, data.get(PlatformLimits.FUNCTION_TOLERATIONS)),
        priorityClass(
            PlatformLimits.FUNCTION_PRIORITY_CLASS_NAME,
            data.get(PlatformLimits.FUNCTION_PRIORITY_CLASS_NAME)));
  }

  private static Optional<String> priorityClass(String key, String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    String trimmed = name.trim();
    if (trimmed.length() > 253 || !SUBDOMAIN.matcher(trimmed).matches()) {
      throw invalid(key, "has '" + name + "', which is not the name of a PriorityClass");
    }
    return Optional.of(trimmed);
  }

  private static Map<String, String> labels(String key, String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return Map.of();
    }
    Map<?, ?> map = read(key, yaml, Map.class);
    Map<String, String> labels = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof String value)) {
        throw invalid(key, "has " + e.getValue() + " for " + name + "; a label value is a string");
      }
      if (!KEY.matcher(name).matches()) {
        throw invalid(key, "has '" + name + "', which is not a label key");
      }
      if (!VALUE.matcher(value).matches()) {
        throw invalid(key, "has '" + value + "' for " + name + ", which is not a label value");
      }
      labels.put(name, value);
    }
    return labels;
  }

  private static List<Toleration> tolerations(String key, String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return List.of();
    }
    Toleration[] read = read(key, yaml, Toleration[].class);
    List<Toleration> out = new ArrayList<>();
    for (Toleration t : read) {
      if (t == null) {
        throw invalid(key, "has an empty toleration");
      }
      if (!t.getAdditionalProperties().isEmpty()) {
        throw invalid(
            key,
            "has unknown toleration fields " + new TreeMap<>(t.getAdditionalProperties()).keySet());
      }
      if (t.getOperator() != null && !OPERATORS.contains(t.getOperator())) {
        throw invalid(
            key, "has the operator '" + t.getOperator() + "'; it must be Exists or Equal");
      }
      if (t.getEffect() != null && !t.getEffect().isEmpty() && !EFFECTS.contains(t.getEffect())) {
        throw invalid(
            key,
            "has the effect '"
                + t.getEffect()
                + "'; it must be NoSchedule, PreferNoSchedule, NoExecute or empty");
      }
      if ((t.getKey() == null || t.getKey().isEmpty()) && !"Exists".equals(t.getOperator())) {
        throw invalid(key, "has a toleration without a key whose operator is not Exists");
      }
      out.add(t);
    }
    return out;
  }

  private static <T> T read(String key, String yaml, Class<T> type) {
    try {
      return YAML.readValue(yaml, type);
    } catch (IOException | RuntimeException e) {
      throw invalid(
          key,
          (type.isArray()
                  ? "must be a list of tolerations such as [{key: dedicated, value: functions,"
                      + " effect: NoSchedule}]"
                  : "must be a map of node labels such as {pool: functions}")
              + ", got '"
              + yaml
              + "'");
    }
  }

  private static IllegalArgumentException invalid(String key, String what) {
    return new IllegalArgumentException(
        PlatformLimits.CONFIG_MAP_NAME + " key " + key + " " + what);
  }
}
