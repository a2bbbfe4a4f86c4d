package dev.kinetic.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which domains ({@code spec.domains}) the Functions of a namespace may hold, as an admin sets in
 * the {@value PlatformLimits#CONFIG_MAP_NAME} ConfigMap's {@value PlatformLimits#FUNCTION_DOMAINS}
 * key: a map from namespace, or {@code "*"} for every namespace, to names, where {@code
 * *.example.com} stands for any name under example.com. Without the key, any name may be held (as
 * in Knative without ClusterDomainClaims); with it, only those listed, so on a cluster shared by
 * teams each can be given its own part of the company's names.
 *
 * @param allowed empty: any name; else the names allowed per namespace
 */
public record DomainPolicy(Optional<Map<String, List<String>>> allowed) {
  public static final DomainPolicy ANY = new DomainPolicy(Optional.empty());

  /** What stands for every namespace. */
  public static final String EVERY_NAMESPACE = "*";

  private static final Pattern NAME = Pattern.compile(Domains.PATTERN);
  private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
  // YAML, which JSON is a subset of: the chart writes JSON, an admin by hand may write either.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public DomainPolicy {
    allowed = allowed.map(a -> Collections.unmodifiableMap(new TreeMap<>(a)));
  }

  /** Whether a Function of {@code namespace} may hold {@code domain}. */
  public boolean allows(String namespace, String domain) {
    return allowed.isEmpty() || names(namespace).stream().anyMatch(name -> matches(name, domain));
  }

  /** The names a Function of {@code namespace} may hold, for a message; all when unrestricted. */
  public List<String> names(String namespace) {
    if (allowed.isEmpty()) {
      return List.of("*");
    }
    List<String> names = new ArrayList<>(allowed.get().getOrDefault(namespace, List.of()));
    names.addAll(allowed.get().getOrDefault(EVERY_NAMESPACE, List.of()));
    return names;
  }

  private static boolean matches(String name, String domain) {
    return name.startsWith("*.") ? domain.endsWith(name.substring(1)) : name.equals(domain);
  }

  /**
   * Reads the key's value; absent or blank, any name.
   *
   * @throws IllegalArgumentException naming the key and what is wrong
   */
  static DomainPolicy fromConfigMapData(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return ANY;
    }
    Map<?, ?> map;
    try {
      map = YAML.readValue(yaml, Map.class);
    } catch (IOException | RuntimeException e) {
      throw invalid(
          "must be a map from namespace (or \"*\") to names such as {\"*\": [\"*.example.com\"]},"
              + " got '"
              + yaml
              + "'");
    }
    Map<String, List<String>> allowed = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String namespace = String.valueOf(e.getKey());
      if (!namespace.equals(EVERY_NAMESPACE) && !NAMESPACE.matcher(namespace).matches()) {
        throw invalid("has '" + namespace + "', which is neither a namespace nor \"*\"");
      }
      if (!(e.getValue() instanceof List<?> list)) {
        throw invalid("has " + e.getValue() + " for " + namespace + "; give a list of names");
      }
      List<String> names = new ArrayList<>();
      for (Object item : list) {
        String name = String.valueOf(item);
        String bare = name.startsWith("*.") ? name.substring(2) : name;
        if (!NAME.matcher(bare).matches()) {
          throw invalid(
              "has '"
                  + name
                  + "' for "
                  + namespace
                  + ", which is neither a lower-case DNS name nor *. and one");
        }
        names.add(name);
      }
      allowed.put(namespace, List.copyOf(names));
    }
    return new DomainPolicy(Optional.of(allowed));
  }

  private static IllegalArgumentException invalid(String what) {
    return new IllegalArgumentException(
        PlatformLimits.CONFIG_MAP_NAME + " key " + PlatformLimits.FUNCTION_DOMAINS + " " + what);
  }
}
