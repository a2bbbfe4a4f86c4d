package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchivesTest {
  private static final String JAVA = "/opt/jdk/bin/java";

  @TempDir Path temp;
  private Path jar;
  private Path dir;
  private List<String> command;

  @BeforeEach
  void aBuiltFunction() throws Exception {
    jar = temp.resolve("hello/target/function.jar");
    Files.createDirectories(jar.getParent().resolve("lib"));
    Files.writeString(jar, "jar");
    Files.writeString(jar.getParent().resolve("lib/runtime.jar"), "library");
    dir = temp.resolve(".kinetic/archives");
    command = List.of(JAVA, "-XX:+UseSerialGC", "-jar", jar.toString());
  }

  private ClassDataArchives on(int feature) {
    return new ClassDataArchives(
        dir, java.util.Set.of(JAVA), Runtime.Version.parse(feature + ".0.1"));
  }

  /** What a JVM does at exit when told to write an archive: writes it to the named file. */
  private static void jvmWritesTheArchive(ClassDataArchives.Start start) throws Exception {
    String flag = start.command().get(1);
    Files.writeString(Path.of(flag.substring(flag.indexOf('=') + 1)), "archive");
  }

  @Test
  void theFirstProcessTrainsADynamicArchiveAndTheNextOnesUseIt() throws Exception {
    ClassDataArchives archives = on(17);

    ClassDataArchives.Start first = archives.prepare("default/hello", command);
    assertThat(first.command().get(1)).startsWith("-XX:ArchiveClassesAtExit=" + dir);
    assertThat(first.command().subList(2, 5)).isEqualTo(command.subList(1, 4));
    ClassDataArchives.Start meanwhile = archives.prepare("default/hello", command);
    assertThat(meanwhile.command()).as("one training run at a time").isEqualTo(command);
    jvmWritesTheArchive(first);
    first.exited().run();
    meanwhile.exited().run();

    ClassDataArchives.Start next = archives.prepare("default/hello", command);
    assertThat(next.command().get(1)).startsWith("-XX:SharedArchiveFile=" + dir);
    Path archive = Path.of(next.command().get(1).substring("-XX:SharedArchiveFile=".length()));
    assertThat(archive).isRegularFile();
    assertThat(archive.getFileName().toString()).startsWith("default_hello-").endsWith(".jsa");
    try (var files = Files.list(dir)) {
      assertThat(files).as("no partial file left").containsExactly(archive);
    }
  }

  @Test
  void jdk25TrainsAnAotCache() throws Exception {
    ClassDataArchives archives = on(25);

    ClassDataArchives.Start first = archives.prepare("default/hello", command);
    assertThat(first.command().get(1)).startsWith("-XX:AOTCacheOutput=");
    jvmWritesTheArchive(first);
    first.exited().run();

    assertThat(archives.prepare("default/hello", command).command().get(1))
        .startsWith("-XX:AOTCache=" + dir)
        .endsWith(".aot");
  }

  @Test
  void aKilledTrainingRunWritesNothingAndTheNextStartTrainsAgain() {
    ClassDataArchives archives = on(17);

    archives.prepare("default/hello", command).exited().run();

    assertThat(archives.prepare("default/hello", command).command().get(1))
        .startsWith("-XX:ArchiveClassesAtExit=");
  }

  @Test
  void aRebuiltJarOrLibraryTrainsANewArchiveAndTheOldOneGoes() throws Exception {
    ClassDataArchives archives = on(17);
    ClassDataArchives.Start first = archives.prepare("default/hello", command);
    jvmWritesTheArchive(first);
    first.exited().run();
    Path old = Path.of(archives.prepare("default/hello", command).command().get(1).split("=")[1]);
    ClassDataArchives.Start other = archives.prepare("default/hello-world", command);
    jvmWritesTheArchive(other);
    other.exited().run();

    Files.setLastModifiedTime(
        jar.getParent().resolve("lib/runtime.jar"),
        FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    ClassDataArchives.Start rebuilt = archives.prepare("default/hello", command);
    assertThat(rebuilt.command().get(1)).startsWith("-XX:ArchiveClassesAtExit=");
    jvmWritesTheArchive(rebuilt);
    rebuilt.exited().run();

    assertThat(old).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("the new archive, and the other function's, whose name starts alike")
          .hasSize(2)
          .anyMatch(name -> name.startsWith("default_hello-world-"));
    }
  }

  @Test
  void otherCommandsAndNoneRunAsWritten() {
    List<String> script = List.of("/usr/bin/python3", "main.py");
    List<String> otherJava = List.of("/usr/local/bin/java", "-jar", jar.toString());

    assertThat(on(17).prepare("default/py", script).command()).isEqualTo(script);
    assertThat(on(17).prepare("default/j", otherJava).command()).isEqualTo(otherJava);
    assertThat(ClassDataArchives.NONE.prepare("default/hello", command).command())
        .isEqualTo(command);
  }

  @Test
  void aMissingJarIsLeftForTheProcessToReport() throws Exception {
    Files.delete(jar);

    assertThat(on(17).prepare("default/hello", command).command()).isEqualTo(command);
  }
}
