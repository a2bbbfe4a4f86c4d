package dev.kinetic.images;

import dev.kinetic.javaruntime.JavaRuntimeLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JDK the images' Java runtime is linked from, and whose JVM trains their class-data archives:
 * the {@code kinetic.image.jdk} system property (the Maven property of the same name; {@code make}
 * sets it to a JDK 25 when the machine has one), else the JDK this build runs on. It decides what
 * the images start with: on 25 or later an AOT cache, before that a dynamic CDS archive.
 *
 * @param home the JDK's folder
 * @param version its version, from its {@code release} file
 */
record ImageJdk(Path home, Runtime.Version version) {
  static final String PROPERTY = "kinetic.image.jdk";

  /** The JDK the property names, or this build's. */
  static ImageJdk chosen() throws IOException {
    String named = System.getProperty(PROPERTY, "");
    return of(Path.of(named.isBlank() ? System.getProperty("java.home") : named));
  }

  static ImageJdk of(Path home) throws IOException {
    if (!Files.isExecutable(home.resolve("bin").resolve("jlink"))) {
      throw new IllegalArgumentException(
          PROPERTY + "=" + home + " has no bin/jlink: the images' runtime is linked from a JDK");
    }
    return new ImageJdk(
        home,
        JavaRuntimeLink.version(Files.readString(home.resolve("release"), StandardCharsets.UTF_8)));
  }
}
