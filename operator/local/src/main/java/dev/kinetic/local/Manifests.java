package dev.kinetic.local;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.Trigger;
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
 * Reads Function and Trigger manifests for local mode. Each file is accepted or refused on its own,
 * with the file and the reason, so one bad manifest never stops the others.
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
  record Loaded(
      List<LocalFunction> functions,
      List<LocalTrigger> triggers,
      List<String> problems,
      Set<Path> refused) {}

  /** What the API server checks at admission for one kind: its CRD's schema, then its rules. */
  private record Admission(CrdSchema schema, CrdRules rules) {
    static Admission of(KubernetesSerialization serialization, String crdResource) {
      return new Admission(
          CrdSchema.of(CrdRules.schemaFromJar(serialization, crdResource), serialization),
          CrdRules.fromJar(serialization, crdResource));
    }

    List<String> problems(Map<String, Object> raw) {
      List<String> broken = schema.violations(raw);
      return broken.isEmpty() ? rules.violations(raw) : broken;
    }
  }

  /**
   * Built once per process: local mode re-reads its folder every few seconds, and parsing the CRDs
   * and compiling their CEL rules each time would be work thrown away.
   */
  private static final class Parsing {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final Admission FUNCTIONS = Admission.of(SERIALIZATION, CrdRules.FUNCTIONS_CRD);
    static final Admission TRIGGERS = Admission.of(SERIALIZATION, CrdRules.TRIGGERS_CRD);
  }

  private Manifests() {}

  static Loaded load(Path dir, String java) throws IOException {
    List<LocalFunction> functions = new ArrayList<>();
    List<LocalTrigger> triggers = new ArrayList<>();
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
      boolean trigger = yaml.contains("kind: Trigger");
      if (!trigger && !yaml.contains("kind: Function")) {
        continue; // other YAML in the folder (GitOps manifests, Helm values) is not ours to run
      }
      try {
        if (trigger) {
          triggers.add(loadTrigger(file, yaml));
        } else {
          functions.add(load(file, yaml, java));
        }
      } catch (IllegalArgumentException e) {
        problems.add(dir.relativize(file) + ": " + e.getMessage());
        refused.add(file.toAbsolutePath().normalize());
      }
    }
    return new Loaded(functions, triggers, problems, refused);
  }

  /**
   * What the API server's admission of the Function CRD refuses in this manifest, as messages: its
   * schema first (types, bounds, required, unknown fields), then its CEL rules, which assume the
   * types are right — in the API server's order, with its messages. Empty: admitted.
   */
  static List<String> admissionProblems(Map<String, Object> raw) {
    return Parsing.FUNCTIONS.problems(raw);
  }

  /** A manifest as the API server would admit it, or why not. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> admitted(String yaml, Admission admission) {
    Map<String, Object> raw;
    try {
      raw = Parsing.SERIALIZATION.unmarshal(yaml, Map.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot be read as YAML: " + e.getMessage());
    }
    List<String> broken = admission.problems(raw);
    if (!broken.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", broken));
    }
    return raw;
  }

  /**
   * A Trigger admitted as the API server would. Its Function need not exist yet: the dispatcher
   * reports FunctionNotFound until it does, as on a cluster.
   */
  private static LocalTrigger loadTrigger(Path file, String yaml) {
    Map<String, Object> raw = admitted(yaml, Parsing.TRIGGERS);
    Trigger trigger;
    try {
      trigger = Parsing.SERIALIZATION.convertValue(raw, Trigger.class);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot be read as a Trigger: " + e.getMessage());
    }
    if (trigger.getMetadata() == null || trigger.getMetadata().getName() == null) {
      throw new IllegalArgumentException("metadata.name is required");
    }
    if (trigger.getMetadata().getNamespace() == null
        || trigger.getMetadata().getNamespace().isBlank()) {
      trigger.getMetadata().setNamespace("default");
    }
    return new LocalTrigger(file, trigger);
  }

  private static LocalFunction load(Path file, String yaml, String java) {
    Map<String, Object> raw = admitted(yaml, Parsing.FUNCTIONS);
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
