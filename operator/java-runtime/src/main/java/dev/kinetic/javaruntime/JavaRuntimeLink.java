package dev.kinetic.javaruntime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the Java runtime of the images is made from a JDK: {@code jlink} to the listed modules, then
 * the runtime's own default class-data archive. The image build, local mode and the cold-start
 * benchmark each make it, and they must make the same one: a benchmark of another runtime, or a
 * local mode that starts functions on one, would say nothing about the images.
 */
public final class JavaRuntimeLink {
  private JavaRuntimeLink() {}

  /** The jlink command that links {@code jdk}'s {@code modules} into {@code output}. */
  public static List<String> linkCommand(Path jdk, List<String> modules, Path output) {
    return List.of(
        jdk.resolve("bin").resolve("jlink").toString(),
        "--add-modules",
        String.join(",", modules),
        // What a running function never reads: debug attributes, C headers, manual pages.
        "--strip-debug",
        "--no-header-files",
        "--no-man-pages",
        "--output",
        output.toString());
  }

  /**
   * The command that dumps a linked runtime's default class-data archive ({@code
   * lib/server/classes.jsa}), which jlink does not make: without it every JVM loads and verifies
   * the JDK's classes from scratch. With the serial collector, which archives no heap objects, the
   * archive suits every collector a function may choose.
   */
  public static List<String> dumpCommand(Path runtime) {
    return List.of(
        runtime.resolve("bin").resolve("java").toString(), "-XX:+UseSerialGC", "-Xshare:dump");
  }

  /**
   * Links the runtime into {@code output} and dumps its archive, each tool's output appended to
   * {@code log}; each tool may take up to {@code timeout}. Returns the runtime's {@code bin/java}.
   *
   * @throws IllegalStateException when a tool fails or takes longer, naming the log
   */
  public static Path link(Path jdk, List<String> modules, Path output, Path log, Duration timeout)
      throws IOException, InterruptedException {
    run(linkCommand(jdk, modules, output), log, timeout);
    run(dumpCommand(output), log, timeout);
    return output.resolve("bin").resolve("java");
  }

  /**
   * A JDK's version as its {@code release} file gives it ({@code JAVA_VERSION="25.0.3"}): what a
   * runtime linked from it is, whatever JVM reads the file.
   */
  public static Runtime.Version version(String release) {
    return release
        .lines()
        .filter(line -> line.startsWith("JAVA_VERSION="))
        .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", "").strip())
        .map(Runtime.Version::parse)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no JAVA_VERSION in the JDK's release file"));
  }

  private static void run(List<String> command, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " took over " + timeout + ", see " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          command.get(0) + " exited with " + process.exitValue() + ", see " + log);
    }
  }
}
