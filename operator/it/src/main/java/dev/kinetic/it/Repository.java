package dev.kinetic.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Files of the repository (crds/, examples/, helm/) as the tests and the launcher see them. */
public final class Repository {
  private Repository() {}

  public static Path root() {
    String configured = System.getProperty("kinetic.root");
    Path start = Path.of(configured != null ? configured : "").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("crds")) && Files.exists(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root above " + start);
  }

  /** The CRDs a user installs: Function and Trigger. */
  public static List<Path> crds() {
    return List.of(
        root().resolve("crds").resolve("functions.kinetic.dev-v1.yml"),
        root().resolve("crds").resolve("triggers.kinetic.dev-v1.yml"));
  }

  public static Path operatorRbac() {
    return root().resolve("helm/kinetic/files/operator-rbac.yaml");
  }

  public static Path dispatcherRbac() {
    return root().resolve("helm/kinetic/files/dispatcher-rbac.yaml");
  }

  public static Path activatorRbac() {
    return root().resolve("helm/kinetic/files/activator-rbac.yaml");
  }

  public static Path operatorJar() {
    Path jar = root().resolve("operator/controller/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it with `./mvnw -DskipTests install`");
    }
    return jar;
  }
}
