package dev.kinetic.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An invalid manifest kept for tests, with the two header lines that say how it must fail: {@code #
 * schema: <path> <rule>} and {@code # expect: <text of the API server's error>}.
 */
public record InvalidManifest(Path file, String schemaRule, String expect, String yaml) {
  public static InvalidManifest read(Path file) throws IOException {
    String yaml = Files.readString(file);
    return new InvalidManifest(
        file, header(yaml, "schema", file), header(yaml, "expect", file), yaml);
  }

  /** The CRD file that must reject it: by the manifest's kind. */
  public String crdFile() {
    return yaml.lines().anyMatch(l -> l.equals("kind: Trigger"))
        ? "triggers.kinetic.dev-v1.yml"
        : "functions.kinetic.dev-v1.yml";
  }

  private static String header(String yaml, String key, Path file) {
    String prefix = "# " + key + ": ";
    return yaml.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()).trim())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(file + " lacks a '" + prefix + "' line"));
  }
}
