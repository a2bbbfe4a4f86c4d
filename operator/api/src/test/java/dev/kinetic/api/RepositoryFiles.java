package dev.kinetic.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files at the repository root (crds/, examples/) from a module's tests. */
final class RepositoryFiles {
  private RepositoryFiles() {}

  static Path root() {
    String configured = System.getProperty("kinetic.root");
    Path start = Path.of(configured != null ? configured : "").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("crds")) && Files.exists(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root above " + start);
  }
}
