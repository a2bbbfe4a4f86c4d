package dev.kinetic.javaruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With stand-in tools; the real jlink is run by local mode's LinkedRuntimeIT and the images. */
class JavaRuntimeLinkTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  @TempDir Path dir;

  @Test
  void linksTheListedModulesThenDumpsTheLinkedRuntimesArchive() throws Exception {
    // This jlink makes a runtime whose java writes down how it was called.
    Path jdk =
        jdkWithJlink(
            "while [ $# -gt 0 ]; do [ \"$1\" = --output ] && out=\"$2\"; shift; done\n"
                + "mkdir -p \"$out/bin\"\n"
                + "printf '#!/bin/sh\\necho \"$@\" > \"$(dirname \"$0\")/called\"\\n'"
                + " > \"$out/bin/java\"\n"
                + "chmod +x \"$out/bin/java\"\n"
                + "echo linked\n");
    Path output = dir.resolve("runtime");
    Path log = dir.resolve("link.log");

    Path java =
        JavaRuntimeLink.link(jdk, List.of("java.base", "jdk.httpserver"), output, log, TIMEOUT);

    assertThat(java).isEqualTo(output.resolve("bin/java"));
    assertThat(Files.readString(output.resolve("bin/called")).strip())
        .isEqualTo("-XX:+UseSerialGC -Xshare:dump");
    assertThat(Files.readString(log)).contains("linked");
    assertThat(JavaRuntimeLink.linkCommand(jdk, List.of("java.base", "jdk.httpserver"), output))
        .startsWith(
            jdk.resolve("bin/jlink").toString(), "--add-modules", "java.base,jdk.httpserver")
        .endsWith("--output", output.toString());
  }

  @Test
  void aFailingJlinkIsReportedWithItsLog() throws Exception {
    Path jdk = jdkWithJlink("echo 'Error: module not found: jdk.nothing' >&2\nexit 1\n");
    Path log = dir.resolve("link.log");

    assertThatThrownBy(
            () ->
                JavaRuntimeLink.link(
                    jdk, List.of("jdk.nothing"), dir.resolve("runtime"), log, TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with 1")
        .hasMessageContaining(log.toString());
    assertThat(Files.readString(log)).contains("module not found: jdk.nothing");
  }

  @Test
  void aToolThatHangsIsStoppedAtTheTimeout() throws Exception {
    Path jdk = jdkWithJlink("exec sleep 600\n");

    assertThatThrownBy(
            () ->
                JavaRuntimeLink.link(
                    jdk,
                    List.of("java.base"),
                    dir.resolve("runtime"),
                    dir.resolve("link.log"),
                    Duration.ofMillis(100)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("took over PT0.1S");
  }

  @Test
  void theVersionIsTheReleaseFilesJavaVersion() {
    String release =
        "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n"
            + "JAVA_VERSION=\"25.0.3\"\nJAVA_VERSION_DATE=\"2026-04-21\"\n";
    assertThat(JavaRuntimeLink.version(release).feature()).isEqualTo(25);
    assertThat(JavaRuntimeLink.version("JAVA_VERSION=\"17.0.15\"\n").feature()).isEqualTo(17);
  }

  @Test
  void aReleaseFileWithoutAVersionIsRefused() {
    assertThatThrownBy(() -> JavaRuntimeLink.version("IMPLEMENTOR=\"x\"\n"))
        .hasMessageContaining("no JAVA_VERSION");
  }

  private Path jdkWithJlink(String script) throws IOException {
    Path jlink = Files.createDirectories(dir.resolve("jdk/bin")).resolve("jlink");
    Files.writeString(jlink, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(jlink, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir.resolve("jdk");
  }
}
