package dev.kinetic.local;

import dev.kinetic.javaruntime.JavaRuntimeLink;
import dev.kinetic.javaruntime.Listing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Java runtime local mode starts functions on: this JDK linked by its {@code jlink} to the
 * modules the function images carry ({@code operator/images/java-modules}), with its own default
 * class-data archive, as the images' runtime is made. Linked once per JDK and module list and kept
 * under {@code .kinetic/runtime}.
 *
 * <p>Why: a function then starts as in its image, and sooner. The images' runtime has no {@code
 * jdk.localedata}, whose 1,017 locales (JDK 17) Jackson's first {@code ObjectMapper} makes the
 * calendar data provider list and parse, and whose module graph every JVM loads. Measured on JDK 17
 * with local mode's flags and a class-data archive each, 16 alternating starts: json-echo 211 → 188
 * ms, cloudevent 209 → 186 ms, hello 165 → 154 ms. And a function that needs a module the images
 * lack fails here first, not in the cluster.
 *
 * <p>Without a {@code jlink} (a JRE), or if linking fails, functions run on this JDK as before and
 * local mode says so once.
 */
final class LinkedRuntime {
  /** Linking and the archive's dump each take seconds; a stuck tool is not waited on longer. */
  static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  private static final String MODULES_RESOURCE = "java-modules";

  private LinkedRuntime() {}

  /**
   * The {@code bin/java} to start functions with: the linked runtime under {@code dir}, linked now
   * if it is not there yet, or {@code jdk}'s own java when linking is not possible.
   */
  static String java(Path runtimes, Path jdk, List<String> modules, Consumer<String> out) {
    // Absolute: function processes start in their manifest's folder.
    Path dir = runtimes.toAbsolutePath().normalize();
    Path jdkJava = jdk.resolve("bin").resolve("java");
    Path jlink = jdk.resolve("bin").resolve("jlink");
    if (!Files.isExecutable(jlink)) {
      out.accept("functions run on " + jdk + ": it has no jlink to link the images' runtime");
      return jdkJava.toString();
    }
    try {
      Path runtime = dir.resolve(key(jdk, modules));
      Path java = runtime.resolve("bin").resolve("java");
      if (Files.isExecutable(java)) {
        return java.toString();
      }
      out.accept("linking the images' Java runtime into " + runtime + " (once per JDK)");
      Files.createDirectories(dir);
      Path partial = dir.resolve("partial-" + ProcessHandle.current().pid());
      deleteTree(partial);
      // The same runtime the images carry, with the default class-data archive jlink leaves out.
      JavaRuntimeLink.link(jdk, modules, partial, dir.resolve("link.log"), TOOL_TIMEOUT);
      try {
        Files.move(partial, runtime, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        deleteTree(partial);
        // Another kinetic process may have linked the same runtime first: use that one. Anything
        // else in the way (a folder left half deleted) is reported, and functions run on the JDK.
        if (!Files.isExecutable(java)) {
          throw new IOException("could not move the linked runtime into " + runtime, e);
        }
      }
      return java.toString();
    } catch (IOException | IllegalStateException e) {
      out.accept(
          "functions run on "
              + jdk
              + ": linking the images' runtime failed ("
              + e.getMessage()
              + ")");
      return jdkJava.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return jdkJava.toString();
    }
  }

  /** The modules of the images' runtime, packaged with local mode from operator/images. */
  static List<String> imageModules() throws IOException {
    try (InputStream in = LinkedRuntime.class.getResourceAsStream(MODULES_RESOURCE)) {
      if (in == null) {
        throw new IOException(MODULES_RESOURCE + " is missing from local mode's jar");
      }
      return Listing.entries(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Names the runtime by the JDK's path and version and the module list. */
  static String key(Path jdk, List<String> modules) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    String release = Files.readString(jdk.resolve("release"), StandardCharsets.UTF_8);
    String input = jdk.toRealPath() + "\n" + release + "\n" + String.join(",", modules);
    return "jdk-"
        + JavaRuntimeLink.version(release).feature()
        + "-"
        + HexFormat.of().formatHex(sha.digest(input.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  private static void deleteTree(Path tree) throws IOException {
    if (!Files.exists(tree)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(tree)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
