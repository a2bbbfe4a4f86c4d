package dev.kinetic.local;

import dev.kinetic.activator.ActivatorSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/** The Function manifest the end-to-end tests and the local benchmark run: one packaged jar. */
final class TestManifests {
  private TestManifests() {}

  /** Local mode on free ports with what {@code loaded} admitted, printing to {@code logs}. */
  static LocalPlatform start(Manifests.Loaded loaded, OutputStream logs) throws Exception {
    return start(loaded, LocalObjects.NONE, logs);
  }

  /** With these Secrets and ConfigMaps (the local files' entries). */
  static LocalPlatform start(Manifests.Loaded loaded, LocalObjects objects, OutputStream logs)
      throws Exception {
    if (!loaded.problems().isEmpty()) {
      throw new AssertionError("refused manifests: " + loaded.problems());
    }
    return LocalPlatform.start(
        loaded,
        ActivatorSettings.defaults().withPorts(0, 0),
        objects,
        Clock.systemUTC(),
        new PrintStream(logs, true));
  }

  /** A Function running {@code jar} with this JVM, the slow example's delay set to 100 ms. */
  static String function(String name, Path jar, int hard, int max, String idleTimeout) {
    return manifest(
        name,
        """
          annotations:
            kinetic.dev/local-command: "%s -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar %s"
        """
            .formatted(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                jar.toAbsolutePath().normalize()),
        hard,
        max,
        idleTimeout);
  }

  /**
   * The same Function with local mode's own command: the jar in {@code target/} beside the
   * manifest, on the runtime local mode chooses.
   */
  static String packaged(String name, int hard, int max, String idleTimeout) {
    return manifest(name, "", hard, max, idleTimeout);
  }

  private static String manifest(
      String name, String annotations, int hard, int max, String idleTimeout) {
    return """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata:
          name: %s
        %sspec:
          image: example.com/%s:1
          env:
            - name: SLOW_DEFAULT_MS
              value: "100"
          timeoutSeconds: 30
          concurrency:
            hard: %d
          scale:
            min: 0
            max: %d
            idleTimeout: %s
        """
        .formatted(name, annotations, name, hard, max, idleTimeout);
  }
}
