package dev.kinetic.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageJdkTest {
  @TempDir Path dir;

  @Test
  void theVersionIsTheReleaseFilesJavaVersion() {
    String release =
        "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n"
            + "JAVA_VERSION=\"25.0.3\"\nJAVA_VERSION_DATE=\"2026-04-21\"\n";
    assertThat(ImageJdk.version(release).feature()).isEqualTo(25);
    assertThat(ImageJdk.version("JAVA_VERSION=\"17.0.15\"\n").feature()).isEqualTo(17);
  }

  @Test
  void aReleaseFileWithoutAVersionIsRefused() {
    assertThatThrownBy(() -> ImageJdk.version("IMPLEMENTOR=\"x\"\n"))
        .hasMessageContaining("no JAVA_VERSION");
  }

  @Test
  void aJavaRuntimeWithoutJlinkIsRefusedWithThePropertyNamed() throws Exception {
    Files.createDirectories(dir.resolve("bin"));
    Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
    assertThatThrownBy(() -> ImageJdk.of(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kinetic.image.jdk=" + dir)
        .hasMessageContaining("no bin/jlink");
  }

  @Test
  void thisBuildsJdkIsTheDefault() throws Exception {
    assertThat(ImageJdk.of(Path.of(System.getProperty("java.home"))).version().feature())
        .isEqualTo(Runtime.version().feature());
  }
}
