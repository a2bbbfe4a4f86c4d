package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What local mode does when it cannot link; linking itself is in LinkedRuntimeIT. */
class LinkedRuntimeTest {
  @TempDir Path dir;
  private final List<String> said = new ArrayList<>();

  @Test
  void theListIsTheImagesModulesWithoutLocaleData() throws IOException {
    List<String> modules = LinkedRuntime.imageModules();
    assertThat(modules)
        .contains("java.base", "jdk.httpserver")
        .doesNotContain("jdk.localedata")
        .allSatisfy(module -> assertThat(module).doesNotContain("#").doesNotContain(" "));
    // The packaged copy is the images' file itself, not a list kept beside it.
    try (InputStream packaged = LinkedRuntime.class.getResourceAsStream("java-modules")) {
      assertThat(packaged.readAllBytes())
          .isEqualTo(Files.readAllBytes(Path.of("../images/java-modules")));
    }
  }

  @Test
  void aJdkWithoutJlinkRunsFunctionsItselfAndSaysSo() throws IOException {
    Path jdk = fakeJdk(false);
    String java = LinkedRuntime.java(dir.resolve("runtime"), jdk, List.of("java.base"), said::add);
    assertThat(java).isEqualTo(jdk.resolve("bin/java").toString());
    assertThat(said).singleElement().asString().contains("has no jlink");
  }

  @Test
  void aFailingJlinkLeavesTheJdkAndNothingBehind() throws IOException {
    Path jdk = fakeJdk(true);
    String java = LinkedRuntime.java(dir.resolve("runtime"), jdk, List.of("java.base"), said::add);
    assertThat(java).isEqualTo(jdk.resolve("bin/java").toString());
    assertThat(said).last().asString().contains("linking the images' runtime failed");
    try (var left = Files.list(dir.resolve("runtime"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("only the log")
          .containsExactly("link.log");
    }
  }

  @Test
  void aFolderInTheRuntimesPlaceLeavesTheJdkAndSaysWhy() throws IOException {
    Path jdk = fakeJdk(false);
    writeScript(
        jdk.resolve("bin/jlink"),
        "while [ $# -gt 0 ]; do [ \"$1\" = --output ] && out=\"$2\"; shift; done\n"
            + "mkdir -p \"$out/bin\" && printf '#!/bin/sh\\nexit 0\\n' > \"$out/bin/java\""
            + " && chmod +x \"$out/bin/java\"\n");
    List<String> modules = List.of("java.base");
    // What a half-deleted runtime leaves: its folder, without its java.
    Path inTheWay = dir.resolve("runtime").resolve(LinkedRuntime.key(jdk, modules));
    Files.createDirectories(inTheWay.resolve("lib"));

    String java = LinkedRuntime.java(dir.resolve("runtime"), jdk, modules, said::add);

    assertThat(java).isEqualTo(jdk.resolve("bin/java").toString());
    assertThat(said).last().asString().contains("could not move the linked runtime into");
    try (var left = Files.list(dir.resolve("runtime"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no partial runtime left")
          .containsExactlyInAnyOrder("link.log", inTheWay.getFileName().toString());
    }
  }

  @Test
  void theRuntimeIsNamedByTheJdkAndTheModules() throws IOException {
    Path jdk = fakeJdk(false);
    String key = LinkedRuntime.key(jdk, List.of("java.base"));
    assertThat(LinkedRuntime.key(jdk, List.of("java.base"))).isEqualTo(key);
    assertThat(LinkedRuntime.key(jdk, List.of("java.base", "java.sql"))).isNotEqualTo(key);
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"17.0.99\"\n");
    assertThat(LinkedRuntime.key(jdk, List.of("java.base"))).isNotEqualTo(key);
  }

  /** A JDK folder with a release file, a java, and a jlink that fails when asked for one. */
  private Path fakeJdk(boolean failingJlink) throws IOException {
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Files.writeString(jdk.getParent().resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
    writeScript(jdk.resolve("java"), "exit 0\n");
    if (failingJlink) {
      writeScript(jdk.resolve("jlink"), "echo no jmods >&2\nexit 1\n");
    }
    return jdk.getParent();
  }

  private static void writeScript(Path file, String body) throws IOException {
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
