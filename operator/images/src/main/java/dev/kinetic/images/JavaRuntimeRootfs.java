package dev.kinetic.images;

import dev.kinetic.javaruntime.JavaRuntimeLink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The base of every image, built from what the build machine has instead of a base image pulled
 * from a registry (none is reachable here): a Java runtime made by {@code jlink} from the building
 * JDK, the C libraries it links against (found with {@code ldd}), and the few files a process
 * expects in {@code /etc}. The result is a directory tree without symlinks, laid out as the image's
 * root.
 */
final class JavaRuntimeRootfs {
  /** Where the runtime lives in the image. */
  static final String JAVA_HOME = "/opt/java";

  /** The non-root user every image runs as (distroless's "nonroot"). */
  static final int UID = 65532;

  private JavaRuntimeRootfs() {}

  /**
   * The JDK's default class-data archive ({@code lib/server/classes.jsa}), which a jlink'ed runtime
   * lacks: without it every JVM in a pod loads and verifies the JDK's classes from scratch
   * (examples/hello: about 475 ms of CPU to ready without, 390 ms with; on a node starting 20 pods
   * at once, that CPU is the cold start). JDK 17's dump is not deterministic (the same runtime gave
   * three different archives in six dumps), while the images' digests must repeat: so the archive
   * is made once per runtime — keyed by the digest of its {@code modules} file and JVM — and kept
   * in {@code ~/.cache/kinetic/cds}, and every later build on the machine takes that one. The
   * serial collector archives no heap objects, so the archive suits every JVM flag the images use.
   */
  private static void dumpClassDataArchive(Path java) throws IOException, InterruptedException {
    Path archive = java.resolve("lib/server/classes.jsa");
    Path cached =
        Path.of(System.getProperty("user.home"), ".cache", "kinetic", "cds")
            .resolve(digest(java.resolve("lib/modules"), java.resolve("lib/server/libjvm.so")))
            .resolve("classes.jsa");
    if (!Files.isRegularFile(cached)) {
      Command.succeed(JavaRuntimeLink.dumpCommand(java), Duration.ofMinutes(2));
      Files.createDirectories(cached.getParent());
      Path partial = Files.createTempFile(cached.getParent(), "classes", ".jsa.partial");
      Files.copy(archive, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.copy(cached, archive, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String digest(Path... files) throws IOException {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buffer = new byte[1 << 16];
          int n;
          while ((n = in.read(buffer)) > 0) {
            sha.update(buffer, 0, n);
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Builds the tree under {@code root} (which must not exist) from the JDK at {@code jdk}, linking
   * the Java {@code modules} (operator/images/java-modules), with the C libraries that native code
   * bundled in {@code jars} needs as well (Netty's io_uring and epoll transports load {@code
   * librt}, {@code libdl}; without them the activator ran on Java NIO).
   */
  static Path build(Path jdk, List<String> modules, Path root, List<Path> jars)
      throws IOException, InterruptedException {
    Path java = root.resolve(JAVA_HOME.substring(1));
    Files.createDirectories(java.getParent());
    Command.succeed(JavaRuntimeLink.linkCommand(jdk, modules, java), Duration.ofMinutes(5));
    dumpClassDataArchive(java);
    realizeSymlinks(java);
    Path bundled = Files.createDirectories(root.resolveSibling("bundled-native"));
    Set<String> libraries = new TreeSet<>(nativeLibraries(java));
    libraries.addAll(nativeLibraries(extractBundledNative(jars, bundled)));
    for (String library : libraries) {
      Path target = root.resolve(library.substring(1));
      Files.createDirectories(target.getParent());
      // Copies the file a symlink points to, under the name the program asks for.
      Files.copy(Path.of(library), target, StandardCopyOption.REPLACE_EXISTING);
    }
    Path etc = Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:"
            + UID
            + ":"
            + UID
            + ":nonroot:/home/nonroot:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nnonroot:x:" + UID + ":\n");
    Files.writeString(etc.resolve("nsswitch.conf"), "hosts: files dns\n");
    return root;
  }

  /**
   * A distribution's JDK links some files elsewhere (Debian: lib/security/cacerts to /etc/ssl); the
   * image has no such elsewhere, so each link becomes a copy of what it points to.
   */
  private static void realizeSymlinks(Path tree) throws IOException {
    List<Path> links;
    try (Stream<Path> walk = Files.walk(tree)) {
      links = walk.filter(Files::isSymbolicLink).toList();
    }
    for (Path link : links) {
      Path target = link.toRealPath();
      Files.delete(link);
      Files.copy(target, link, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /**
   * Copies the shared objects jars carry for loading at run time (Netty's {@code
   * META-INF/native/*.so}) into {@code into}, to be examined with ldd like the JDK's own.
   */
  static Path extractBundledNative(List<Path> jars, Path into) throws IOException {
    for (Path jar : jars) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (ZipEntry entry : Collections.list(zip.entries())) {
          String name = entry.getName();
          if (name.startsWith("META-INF/native/") && name.endsWith(".so")) {
            try (InputStream in = zip.getInputStream(entry)) {
              Files.copy(
                  in,
                  into.resolve(Path.of(name).getFileName().toString()),
                  StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
    }
    return into;
  }

  /** Absolute paths of the shared libraries the programs and libraries under a folder load. */
  static Set<String> nativeLibraries(Path folder) throws IOException, InterruptedException {
    List<Path> elves = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(
              p ->
                  p.toString().endsWith(".so")
                      || p.getParent().getFileName().toString().equals("bin"))
          .forEach(elves::add);
    }
    Set<String> libraries = new TreeSet<>();
    for (Path elf : elves) {
      // ldd fails on what is not a dynamic executable (a script, a static file): nothing to add.
      String out = Command.output(List.of("ldd", elf.toString()), Duration.ofMinutes(1));
      for (String line : out.split("\n")) {
        String path = libraryPath(line.trim());
        if (path != null && !path.startsWith(folder.toString())) {
          libraries.add(path);
        }
      }
    }
    return libraries;
  }

  /**
   * One line of ldd's output: {@code libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x..)} or {@code
   * /lib64/ld-linux-x86-64.so.2 (0x..)}; null for the vDSO and for what ldd cannot find.
   */
  static String libraryPath(String line) {
    String candidate;
    int arrow = line.indexOf("=>");
    if (arrow >= 0) {
      candidate = line.substring(arrow + 2).trim();
    } else {
      candidate = line;
    }
    int paren = candidate.indexOf(" (");
    if (paren >= 0) {
      candidate = candidate.substring(0, paren);
    }
    return candidate.startsWith("/") ? candidate : null;
  }
}
