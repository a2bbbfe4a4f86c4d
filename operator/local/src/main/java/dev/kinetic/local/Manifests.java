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
import java.util.List;
import java.util.regex.Pattern;
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
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  record Loaded(List<LocalFunction> functions, List<String> problems) {}

  private Manifests() {}

  static Loaded load(Path dir, String java) throws IOException {
    List<LocalFunction> functions = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir, 3)) {
      files =
          walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(p -> !p.toString().contains("/target/"))
              .sorted()
              .toList();
    }
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (Path file : files) {
      try {
        functions.add(load(file, serialization, java));
      } catch (IllegalArgumentException e) {
        problems.add(dir.relativize(file) + ": " + e.getMessage());
      }
    }
    return new Loaded(functions, problems);
  }

  private static LocalFunction load(Path file, KubernetesSerialization serialization, String java) {
    Function function;
    try {
      String yaml = Files.readString(file);
      if (!yaml.contains("kind: Function")) {
        throw new IllegalArgumentException("not a Function manifest (kind: Function)");
      }
      function = serialization.unmarshal(yaml, Function.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot be read as a Function: " + e.getMessage());
    }
    String name = function.getMetadata() == null ? null : function.getMetadata().getName();
    if (name == null || !DNS_1035.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metadata.name must be a DNS-1035 label (lower-case letters, digits, '-'), got '"
              + name
              + "'");
    }
    if (function.getSpec() == null
        || function.getSpec().getImage() == null
        || function.getSpec().getImage().isBlank()) {
      throw new IllegalArgumentException("spec.image is required");
    }
    EffectiveSpec effective;
    try {
      effective = EffectiveSpec.of(function.getSpec(), PlatformLimits.NONE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    if (effective.maxScale().isPresent() && effective.minScale() > effective.maxScale().get()) {
      throw new IllegalArgumentException(
          "scale.min ("
              + effective.minScale()
              + ") must not exceed scale.max ("
              + effective.maxScale().get()
              + ")");
    }
    if (effective.hardConcurrency() > 0
        && effective.targetConcurrency() > effective.hardConcurrency()) {
      throw new IllegalArgumentException(
          "concurrency.target ("
              + effective.targetConcurrency()
              + ") must not exceed concurrency.hard ("
              + effective.hardConcurrency()
              + ")");
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
