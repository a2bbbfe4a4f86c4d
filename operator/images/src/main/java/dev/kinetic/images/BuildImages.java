package dev.kinetic.images;

import com.google.cloud.tools.jib.api.JibContainer;
import dev.kinetic.javaruntime.Listing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds {@code <registry>/kinetic-operator:<tag>}, {@code <registry>/kinetic-activator:<tag>},
 * {@code <registry>/kinetic-dispatcher:<tag>} and every example's {@code
 * <registry>/examples/<name>:<tag>} as tarballs in the output folder, from the packaged modules.
 * Run by Maven in this module's package phase: {@code BuildImages <repository root> <output folder>
 * <registry> <tag>}.
 *
 * <p>Load one with {@code docker load}, {@code podman load} or {@code ctr images import}, or push
 * it with {@code skopeo copy oci-archive:…} / {@code crane push} (docs/install.md).
 */
public final class BuildImages {
  private BuildImages() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: BuildImages <root> <output folder> <registry> <tag>");
    }
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    Path out = Path.of(args[1]).toAbsolutePath().normalize();
    String registry = args[2];
    String tag = args[3];
    Path work = out.resolve("work");
    deleteTree(work);
    List<ImageSpec> specs = specs(root, work.resolve("layers"));
    ImageJdk jdk = ImageJdk.chosen();
    System.out.println("the images' Java runtime: Java " + jdk.version() + " from " + jdk.home());
    Path runtime =
        JavaRuntimeRootfs.build(
            jdk.home(),
            listed(root.resolve("operator/images/java-modules")),
            work.resolve("rootfs"),
            jars(specs));
    ClassDataTraining training = ClassDataTraining.forJdk(jdk.version(), System.out);
    for (ImageSpec spec : specs) {
      String reference = registry + "/" + spec.name() + ":" + tag;
      Path tarball = out.resolve(spec.fileName() + ".tar");
      JibContainer image =
          ImageAssembler.write(spec, runtime, reference, tarball, work.resolve("cache"));
      if (isJavaFunction(spec)) {
        Optional<Path> archive =
            training.archive(
                spec.name(),
                tarball,
                image.getDigest().toString(),
                work.resolve("training").resolve(spec.fileName()),
                TRAINING_ENV.getOrDefault(spec.name(), Map.of()));
        if (archive.isPresent()) {
          spec = spec.withClassData(archive.get(), training.useFlag());
          image = ImageAssembler.write(spec, runtime, reference, tarball, work.resolve("cache"));
        }
      }
      String line = reference + " " + image.getDigest() + " " + tarball.getFileName();
      System.out.println("built " + line);
      Files.writeString(out.resolve(spec.fileName() + ".digest"), image.getDigest() + "\n");
    }
  }

  /** What a training run needs that a pod spec would give (a placeholder, never a real secret). */
  private static final Map<String, Map<String, String>> TRAINING_ENV =
      Map.of("examples/secrets", Map.of("API_TOKEN", "training-run-placeholder"));

  /**
   * The example functions on the JVM get a class-data archive trained by a run of the image. (The
   * operator, activator and dispatcher would need a cluster for a representative run.)
   */
  static boolean isJavaFunction(ImageSpec spec) {
    return spec.name().startsWith("examples/")
        && spec.entrypoint().get(0).equals(JavaRuntimeRootfs.JAVA_HOME + "/bin/java");
  }

  /** Every jar the images carry: their bundled native code decides part of the base. */
  static List<Path> jars(List<ImageSpec> specs) throws IOException {
    List<Path> jars = new ArrayList<>();
    for (ImageSpec spec : specs) {
      for (ImageSpec.Layer layer : spec.layers().values()) {
        try (Stream<Path> walk = Files.walk(layer.source())) {
          walk.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
      }
    }
    return jars;
  }

  /**
   * What goes into each image, from the modules' packaged output.
   *
   * @param layers where the one-file layers are staged (under the build's work folder)
   */
  static List<ImageSpec> specs(Path root, Path layers) throws IOException {
    Path operator = root.resolve("operator/controller/target/quarkus-app");
    Map<String, ImageSpec.Layer> operatorLayers = new LinkedHashMap<>();
    operatorLayers.put("dependencies", new ImageSpec.Layer(operator.resolve("lib"), "/app/lib"));
    operatorLayers.put("quarkus", new ImageSpec.Layer(operator.resolve("quarkus"), "/app/quarkus"));
    operatorLayers.put("application", new ImageSpec.Layer(operator.resolve("app"), "/app/app"));
    operatorLayers.put(
        "launcher",
        new ImageSpec.Layer(
            onlyFile(operator.resolve("quarkus-run.jar"), layers.resolve("kinetic-operator")),
            "/app"));
    return List.of(
        new ImageSpec(
            "kinetic-operator",
            operatorLayers,
            java(List.of(), "/app/quarkus-run.jar"),
            List.of(8080),
            "Kinetic's operator: reconciles Functions and autoscales them"),
        jarWithLibraries(
            "kinetic-activator",
            layers,
            root.resolve("operator/activator/target"),
            "activator.jar",
            listed(root.resolve("operator/activator/jvm-flags")),
            List.of(8080, 8081),
            "Kinetic's activator: the proxy in front of every function"),
        jarWithLibraries(
            "kinetic-dispatcher",
            layers,
            root.resolve("operator/dispatcher/target"),
            "dispatcher.jar",
            List.of("-XX:+UseSerialGC"),
            List.of(8081),
            "Kinetic's dispatcher: fires Triggers and delivers their events through the activator"),
        // The examples, named as their function.yaml names them, so a cluster can run every one
        // with no registry: the same jars local mode runs, with the runtime's image flags
        // (docs/runtime.md).
        example(layers, root, "hello", "an HTTP hello world"),
        example(layers, root, "json-echo", "JSON in, JSON out"),
        example(layers, root, "cloudevent", "a CloudEvents handler"),
        example(layers, root, "cron-report", "a report run by a schedule"),
        example(layers, root, "kafka-orders", "orders fed by a Kafka topic"),
        example(layers, root, "slow", "answers after a delay it is asked for"),
        example(layers, root, "secrets", "reads a Secret mounted as files"),
        example(layers, root, "scratch", "keeps files in /tmp between requests"),
        // Not Java: a static Go binary on the same base (its Java runtime unused), to prove that
        // any HTTP server is a function.
        new ImageSpec(
            "examples/go-hello",
            Map.of(
                "application",
                new ImageSpec.Layer(
                    onlyFile(
                        root.resolve("examples/go-hello/target/go-hello"),
                        layers.resolve("examples-go-hello")),
                    "/app")),
            List.of("/app/go-hello"),
            List.of(8080),
            "Kinetic's example function: a Go server with no health paths"));
  }

  private static ImageSpec example(Path layers, Path root, String name, String what)
      throws IOException {
    return jarWithLibraries(
        "examples/" + name,
        layers,
        root.resolve("examples").resolve(name).resolve("target"),
        "function.jar",
        List.of("-XX:+UseSerialGC"),
        List.of(8080, 9090),
        "Kinetic's example function: " + what);
  }

  /** A jar whose manifest's class path is lib/: the libraries in one layer, the jar in another. */
  private static ImageSpec jarWithLibraries(
      String name,
      Path layers,
      Path target,
      String jar,
      List<String> flags,
      List<Integer> ports,
      String description)
      throws IOException {
    Map<String, ImageSpec.Layer> contents = new LinkedHashMap<>();
    contents.put("dependencies", new ImageSpec.Layer(target.resolve("lib"), "/app/lib"));
    contents.put(
        "application",
        new ImageSpec.Layer(
            onlyFile(target.resolve(jar), layers.resolve(name.replace('/', '-'))), "/app"));
    return new ImageSpec(name, contents, java(flags, "/app/" + jar), ports, description);
  }

  /**
   * The items of a file holding one per line, with # comments (JVM flags, Java modules): kept
   * beside the module they tune, and read by the benchmarks too.
   */
  static List<String> listed(Path file) throws IOException {
    return Listing.entries(Files.readString(file));
  }

  /** The image's own Java, sized to the container's memory limit, that dies rather than limps. */
  private static List<String> java(List<String> flags, String jar) {
    List<String> command = new ArrayList<>();
    command.add(JavaRuntimeRootfs.JAVA_HOME + "/bin/java");
    command.addAll(flags);
    command.addAll(List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", jar));
    return List.copyOf(command);
  }

  /**
   * {@code dir}, created, holding just this file, since a layer is made from a folder: the jar's
   * own folder also holds the build's other output.
   */
  private static Path onlyFile(Path file, Path dir) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: package its module first");
    }
    Files.createDirectories(dir);
    Files.copy(file, dir.resolve(file.getFileName()));
    return dir;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
