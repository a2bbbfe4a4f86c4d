package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links the images' runtime from the JDK running the test, as `kinetic local` does. */
class LinkedRuntimeIT {
  @TempDir Path dir;

  @Test
  void linksOnceWithItsOwnArchiveAndTheImagesModulesOnly() throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"));
    List<String> modules = LinkedRuntime.imageModules();
    List<String> said = new ArrayList<>();

    String java = LinkedRuntime.java(dir, jdk, modules, said::add);
    Path runtime = Path.of(java).getParent().getParent();
    assertThat(runtime.getParent()).isEqualTo(dir);
    assertThat(said).singleElement().asString().startsWith("linking the images' Java runtime");
    // Its own default archive: without it every JDK class would load from scratch.
    assertThat(runtime.resolve("lib/server/classes.jsa")).isNotEmptyFile();
    assertThat(run(java, "--list-modules"))
        .contains("jdk.httpserver")
        .doesNotContain("jdk.localedata", "java.desktop");
    // Class-data sharing on: -Xshare:on stops the VM when the archive cannot be mapped.
    assertThat(run(java, "-XX:+UseSerialGC", "-Xshare:on", "-version")).contains("sharing");

    // Found, not linked again.
    said.clear();
    assertThat(LinkedRuntime.java(dir, jdk, modules, said::add)).isEqualTo(java);
    assertThat(said).isEmpty();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("partial")))
          .isEmpty();
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
