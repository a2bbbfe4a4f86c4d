package dev.kinetic.local;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.PlatformLimits;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads Function manifests for local mode. Each file is accepted or refused on its own, with the
 * file and the reason, so one bad manifest never stops the others.
 *
 * <p>How a manifest becomes a local process: the annotation {@code kinetic.dev/local-command}
 * (split on spaces) when present; otherwise {@code java -jar target/function.jar} next to the
 * manifest, which is what Maven builds for every example.
 */
final class Manifests {
  static final String LOCAL_COMMAND = "kinetic.dev/local-command";

  /**
   * @param refused the files that hold a Function manifest but were refused: a running function
   *     whose manifest became invalid keeps its last good version, as on a cluster, where the API
   *     server refuses the update
   */
  record Loaded(List<LocalFunction> functions, List<String> problems, Set<Path> refused) {}

  /**
   * Built once per process: local mode re-reads its folder every few seconds, and parsing the CRD
   * and compiling its CEL rules each time would be work thrown away.
   */
  private static final class Parsing {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final CrdRules RULES = CrdRules.fromJar(SERIALIZATION);
    static final CrdSchema SCHEMA =
        CrdSchema.of(CrdRules.schemaFromJar(SERIALIZATION), SERIALIZATION);
  }

  private Manifests() {}

  static Loaded load(Path dir, String java) throws IOException {
    List<LocalFunction> functions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<Path> refused = new HashSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir, 3)) {
      files =
          walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(p -> !p.toString().contains("/target/"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      String yaml = Files.readString(file);
      if (!yaml.contains("kind: Function")) {
        continue; // other YAML in the folder (GitOps manifests, Helm values) is not ours to run
      }
      try {
        functions.add(load(file, yaml, java));
      } catch (IllegalArgumentException e) {
        problems.add(dir.relativize(file) + ": " + e.getMessage());
        refused.add(file.toAbsolutePath().normalize());
      }
    }
    return new Loaded(functions, problems, refused);
  }

  /**
   * What the API server's admission of the CRD refuses in this manifest, as messages: its schema
   * first (types, bounds, required, unknown fields), then its CEL rules, which assume the types are
   * right — in the API server's order, with its messages. Empty: admitted.
   */
  static List<String> admissionProblems(Map<String, Object> raw) {
    List<String> broken = Parsing.SCHEMA.violations(raw);
    return broken.isEmpty() ? Parsing.RULES.violations(raw) : broken;
  }

  @SuppressWarnings("unchecked")
  private static LocalFunction load(Path file, String yaml, String java) {
    Map<String, Object> raw;
    try {
      raw = Parsing.SERIALIZATION.unmarshal(yaml, Map.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot be read as YAML: " + e.getMessage());
    }
    List<String> broken = admissionProblems(raw);
    if (!broken.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", broken));
    }
    Function function;
    try {
      function = Parsing.SERIALIZATION.convertValue(raw, Function.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot be read as a Function: " + e.getMessage());
    }
    if (function.getMetadata() == null || function.getMetadata().getName() == null) {
      throw new IllegalArgumentException("metadata.name is required");
    }
    if (function.getSpec() == null
        || function.getSpec().getImage() == null
        || function.getSpec().getImage().isBlank()) {
      throw new IllegalArgumentException("spec.image is required");
    }
    EffectiveSpec effective;
    try {
      effective = EffectiveSpec.checked(function.getSpec(), PlatformLimits.NONE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return new LocalFunction(file, function, effective, command(file, function, java));
  }

  private static List<String> command(Path file, Function function, String java) {
    var annotations = function.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(LOCAL_COMMAND)) {
      return Arrays.asList(annotations.get(LOCAL_COMMAND).trim().split("\\s+"));
    }
    Path jar = file.toAbsolutePath().getParent().resolve("target").resolve("function.jar");
    if (!Files.exists(jar)) {
      throw new IllegalArgumentException(
          "no "
              + jar
              + " to run: build it with ./mvnw package -DskipTests, or set the annotation "
              + LOCAL_COMMAND);
    }
    return List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
  }
}
