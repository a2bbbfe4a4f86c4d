package dev.kinetic.local;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.Trigger;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads Function and Trigger manifests for local mode. Each file is accepted or refused on its own,
 * with the file and the reason, so one bad manifest never stops the others; a file may hold several
 * documents, as {@code kubectl apply -f} reads it.
 *
 * <p>How a manifest becomes a local process: the annotation {@code kinetic.dev/local-command}
 * (split on spaces) when present; otherwise {@code java -jar target/function.jar} next to the
 * manifest, which is what Maven builds for every example.
 */
final class Manifests {
  static final String LOCAL_COMMAND = "kinetic.dev/local-command";

  private static final Set<Object> KINDS = Set.of("Function", "Trigger");
  private static final String GROUP = HasMetadata.getGroup(Function.class);
  private static final String API_VERSION = HasMetadata.getApiVersion(Function.class);

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
      if (!yaml.contains("kind: Trigger") && !yaml.contains("kind: Function")) {
        continue; // other YAML in the folder (GitOps manifests, Helm values) is not ours to run
      }
      List<Map<String, Object>> documents;
      try {
        // One file may hold several documents, as kubectl apply -f takes them: a Function and
        // its Trigger, or a Secret beside them (other kinds are not ours to run).
        documents = documents(yaml).stream().filter(Manifests::ours).toList();
      } catch (IllegalArgumentException e) {
        problems.add(dir.relativize(file) + ": " + e.getMessage());
        refused.add(file.toAbsolutePath().normalize());
        continue;
      }
      for (Map<String, Object> document : documents) {
        boolean trigger = "Trigger".equals(document.get("kind"));
        try {
          served(document);
          if (trigger) {
            triggers.add(loadTrigger(file, admitted(document, Parsing.TRIGGERS)));
          } else {
            functions.add(load(file, admitted(document, Parsing.FUNCTIONS), java));
          }
        } catch (IllegalArgumentException e) {
          // Like kubectl apply -f, the other documents of the file still count.
          problems.add(
              dir.relativize(file)
                  + ": "
                  + (documents.size() > 1 ? named(document) + ": " : "")
                  + e.getMessage());
          refused.add(file.toAbsolutePath().normalize());
        }
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

  /**
   * The documents of a manifest file, each as fabric8 reads a document (snakeyaml-engine, then
   * Jackson); empty documents are left out.
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> documents = new ArrayList<>();
    try {
      for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
        if (document == null) {
          continue;
        }
        if (!(document instanceof Map)) {
          throw new IllegalArgumentException(
              "a document is " + document.getClass().getSimpleName() + ", not an object");
        }
        documents.add(Parsing.SERIALIZATION.convertValue(document, Map.class));
      }
    } catch (org.snakeyaml.engine.v2.exceptions.YamlEngineException e) {
      throw new IllegalArgumentException("cannot be read as YAML: " + e.getMessage());
    }
    return documents;
  }

  /** "Function hello", "Trigger nightly": which document of a file a problem is about. */
  private static String named(Map<String, Object> document) {
    Object name =
        document.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
    return document.get("kind") + (name == null ? "" : " " + name);
  }

  /**
   * Whether a document is a Kinetic Function or Trigger: another project's Function (OpenFaaS's, in
   * openfaas.com) is not ours to run.
   */
  private static boolean ours(Map<String, Object> document) {
    return KINDS.contains(document.get("kind"))
        && document.get("apiVersion") instanceof String version
        && version.startsWith(GROUP + "/");
  }

  /**
   * A version of kinetic.dev the API server does not serve is refused, as kubectl would refuse that
   * document (and apply the file's others).
   */
  private static void served(Map<String, Object> document) {
    Object version = document.get("apiVersion");
    if (!API_VERSION.equals(version)) {
      throw new IllegalArgumentException(
          "apiVersion "
              + version
              + " is not served: no matches for kind "
              + document.get("kind")
              + " in that version; use "
              + API_VERSION);
    }
  }

  /** A manifest's document as the API server would admit it, or why not. */
  private static Map<String, Object> admitted(Map<String, Object> raw, Admission admission) {
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
  private static LocalTrigger loadTrigger(Path file, Map<String, Object> raw) {
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

  private static LocalFunction load(Path file, Map<String, Object> raw, String java) {
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
