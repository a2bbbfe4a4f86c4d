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
