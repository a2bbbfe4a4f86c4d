package dev.kinetic.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Class-data archives for function processes, so that a cold start maps the classes an earlier run
 * of the same jar loaded instead of loading, verifying and linking them again: JDK 25's AOT cache
 * (JEP 483, trained in one run by JEP 514) or, before JDK 25, a dynamic CDS archive (JEP 350).
 *
 * <p>The first process of a jar trains its archive, which its JVM writes when it exits (at scale to
 * zero, or when local mode stops); later processes start with it. Only one process trains at a
 * time. An archive is named by a digest of the command, of the jar and the jars beside it in {@code
 * lib/} (path, size, modification time) and of the JDK's version, so a rebuilt jar or another JDK
 * trains a new one, and the function's older archives are then deleted.
 */
final class ClassDataArchives {
  /** No archives: the command runs as written (tests, and commands that are not our java). */
  static final ClassDataArchives NONE = new ClassDataArchives(null, Set.of(), Runtime.version());

  private final Path dir;
  private final Set<String> javas;
  private final Runtime.Version jdk;
  private final Set<Path> training = ConcurrentHashMap.newKeySet();
  private final AtomicLong runs = new AtomicLong();

  /**
   * @param dir where the archives are kept (created when the first one is trained)
   * @param javas the java binaries whose commands get archives: those of this process's JDK
   * @param jdk its version, which decides the kind of archive
   */
  ClassDataArchives(Path dir, Set<String> javas, Runtime.Version jdk) {
    this.dir = dir;
    this.javas = Set.copyOf(javas);
    this.jdk = jdk;
  }

  /**
   * Archives for the commands of this process's JDK: its own java and {@code linked}, the runtime
   * local mode links from it (the same when there is none). Each archive is trained by and used
   * with one of them, as the command names it.
   */
  static ClassDataArchives in(Path dir, String linked) {
    String own = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ClassDataArchives(
        dir.toAbsolutePath().normalize(), Set.copyOf(List.of(own, linked)), Runtime.version());
  }

  /** A command to start, and what to do once its process has ended. */
  record Start(List<String> command, Runnable exited) {}

  /**
   * The command with the flags that use this jar's archive, or train it when there is none yet and
   * no other process is training it.
   *
   * @param name the function's name, for the archive's file name
   */
  Start prepare(String name, List<String> command) {
    Optional<Path> jar = jarOf(command);
    if (dir == null || jar.isEmpty()) {
      return new Start(command, () -> {});
    }
    String stem = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
    Path archive;
    try {
      archive = dir.resolve(stem + digest(command, jar.get()) + suffix());
    } catch (IOException e) {
      // The jar is not there: the process will say so itself.
      return new Start(command, () -> {});
    }
    if (Files.isRegularFile(archive)) {
      return new Start(with(command, useFlag() + archive), () -> {});
    }
    if (!training.add(archive)) {
      return new Start(command, () -> {});
    }
    Path partial =
        archive.resolveSibling(
            // Unique across the kinetic processes that may share the folder.
            "partial-"
                + ProcessHandle.current().pid()
                + "-"
                + runs.incrementAndGet()
                + "-"
                + archive.getFileName());
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      training.remove(archive);
      return new Start(command, () -> {});
    }
    return new Start(with(command, trainFlag() + partial), () -> keep(partial, archive, stem));
  }

  /** After a training run: its archive in place of the function's older ones, if it wrote one. */
  private void keep(Path partial, Path archive, String stem) {
    try {
      if (Files.isRegularFile(partial) && Files.size(partial) > 0) {
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        // Exactly this function's names: another's may start with the same stem.
        Pattern mine =
            Pattern.compile(Pattern.quote(stem) + "[0-9a-f]{16}" + Pattern.quote(suffix()));
        try (DirectoryStream<Path> older = Files.newDirectoryStream(dir, stem + "*")) {
          for (Path file : older) {
            if (!file.equals(archive) && mine.matcher(file.getFileName().toString()).matches()) {
              Files.deleteIfExists(file);
            }
          }
        }
      }
    } catch (IOException e) {
      // Nothing usable was written (a killed process writes no archive): the next start trains.
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // a leftover partial file is never used, and is deleted with the next archive
      }
      training.remove(archive);
    }
  }

  private boolean aotCache() {
    return jdk.feature() >= 25;
  }

  private String suffix() {
    return aotCache() ? ".aot" : ".jsa";
  }

  private String useFlag() {
    return aotCache() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
  }

  private String trainFlag() {
    return aotCache() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=";
  }

  /** The jar of {@code <our java> ... -jar <jar> ...}; other commands get no archive. */
  private Optional<Path> jarOf(List<String> command) {
    if (command.isEmpty() || !javas.contains(command.get(0))) {
      return Optional.empty();
    }
    int at = command.indexOf("-jar");
    return at < 0 || at + 1 >= command.size()
        ? Optional.empty()
        : Optional.of(Path.of(command.get(at + 1)));
  }

  private static List<String> with(List<String> command, String flag) {
    List<String> changed = new ArrayList<>(command);
    changed.add(1, flag);
    return List.copyOf(changed);
  }

  private String digest(List<String> command, Path jar) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    StringBuilder input = new StringBuilder(jdk.toString()).append('\n');
    command.forEach(word -> input.append(word).append('\n'));
    List<Path> jars = new ArrayList<>(List.of(jar));
    Path lib = jar.toAbsolutePath().getParent().resolve("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> files = Files.list(lib)) {
        files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
      }
    }
    for (Path file : jars) {
      input
          .append(file.toAbsolutePath())
          .append(' ')
          .append(Files.size(file))
          .append(' ')
          .append(Files.getLastModifiedTime(file).toMillis())
          .append('\n');
    }
    byte[] hash = sha.digest(input.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash, 0, 8);
  }
}
