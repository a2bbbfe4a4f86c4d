package dev.kinetic.local;

import java.nio.file.Path;

/** The Function manifest the end-to-end tests and the local benchmark run: one packaged jar. */
final class TestManifests {
  private TestManifests() {}

  /** A Function running {@code jar} with this JVM, the slow example's delay set to 100 ms. */
  static String function(String name, Path jar, int hard, int max, String idleTimeout) {
    return """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata:
          name: %s
          annotations:
            kinetic.dev/local-command: "%s -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar %s"
        spec:
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
        .formatted(
            name,
            Path.of(System.getProperty("java.home"), "bin", "java"),
            jar.toAbsolutePath().normalize(),
            name,
            hard,
            max,
            idleTimeout);
  }
}
