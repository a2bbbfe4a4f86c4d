package dev.kinetic.images;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Java function image's class-data archive, trained at build time by one run of the image itself:
 * unpacked, started in a chroot as its user (what {@link ImageRoot} does for the tests), sent a few
 * requests, and stopped with SIGTERM, its JVM writing the archive as it exits — an AOT cache when
 * the image's JDK is 25 or later, else a dynamic CDS archive. The run must be the image's own: the
 * JVM accepts an archive only for the same JDK and the same jars at the same paths with the same
 * sizes and modification times (Jib's fixed file time), which a run outside the image would not
 * have.
 *
 * <p>The dump is not byte-for-byte repeatable, while the images' digests must be, so an archive is
 * kept per image digest (the image without it, which is repeatable) in {@code
 * ~/.cache/kinetic/cds/apps}, like the JDK's own archive ({@link JavaRuntimeRootfs}).
 */
final class ClassDataTraining {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final int REQUESTS = 20;

  private final Runtime.Version jdk;
  private final Path cache;
  private final PrintStream log;

  ClassDataTraining(Runtime.Version jdk, Path cache, PrintStream log) {
    this.jdk = jdk;
    this.cache = cache;
    this.log = log;
  }

  /** For images whose runtime is of {@code jdk}, cached in the user's cache folder. */
  static ClassDataTraining forJdk(Runtime.Version jdk, PrintStream log) {
    return new ClassDataTraining(
        jdk, Path.of(System.getProperty("user.home"), ".cache", "kinetic", "cds", "apps"), log);
  }

  /** The archive's file name in the image (under /app). */
  String fileName() {
    return jdk.feature() >= 25 ? "app.aot" : "app.jsa";
  }

  /** The JVM flag that starts the image's java with its archive. */
  String useFlag() {
    return (jdk.feature() >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=")
        + "/app/"
        + fileName();
  }

  private String trainFlag(String path) {
    return (jdk.feature() >= 25 ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + path;
  }

  /**
   * A folder holding just the archive of the image in {@code tarball} (whose digest is {@code
   * digest}), trained now or before; empty, with the reason printed, when it cannot be trained.
   *
   * @param env what the training run needs in its environment beside the image's
   */
  Optional<Path> archive(
      String name, Path tarball, String digest, Path work, Map<String, String> env)
      throws Exception {
    Path kept = cache.resolve(digest.replace(':', '-')).resolve(fileName());
    if (Files.isRegularFile(kept)) {
      return Optional.of(kept.getParent());
    }
    if (!ImageRoot.canChroot()) {
      log.println(
          "no class-data archive in "
              + name
              + ": training runs the image in a chroot, which needs root and unshare");
      return Optional.empty();
    }
    BuildImages.deleteTree(work);
    Files.createDirectories(work);
    ImageRoot image = ImageRoot.unpack(tarball, work);
    // Written by the image's user, outside /tmp (a tmpfs gone with the run).
    Path out = Files.createDirectory(image.root().resolve("kinetic-training"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    int port = freePort();
    Map<String, String> environment = new HashMap<>(env);
    environment.put("PORT", Integer.toString(port));
    environment.put("KINETIC_METRICS_PORT", Integer.toString(freePort()));
    environment.put("JAVA_TOOL_OPTIONS", trainFlag("/kinetic-training/" + fileName()));
    Process process = image.start(environment, work.resolve("training.log"));
    try {
      if (!serve(process, port)) {
        log.println(
            "no class-data archive in "
                + name
                + ": its training run did not answer (see "
                + work.resolve("training.log")
                + ")");
        return Optional.empty();
      }
    } finally {
      ImageRoot.stop(process, Duration.ofSeconds(60));
    }
    Path written = out.resolve(fileName());
    if (!Files.isRegularFile(written) || Files.size(written) == 0) {
      log.println("no class-data archive in " + name + ": the training run wrote none");
      return Optional.empty();
    }
    Files.createDirectories(kept.getParent());
    Path partial = Files.createTempFile(kept.getParent(), "archive", ".partial");
    Files.copy(written, partial, StandardCopyOption.REPLACE_EXISTING);
    Files.move(partial, kept, StandardCopyOption.ATOMIC_MOVE);
    log.printf("trained %s's class-data archive: %d KiB%n", name, Files.size(kept) / 1024);
    BuildImages.deleteTree(work);
    return Optional.of(kept.getParent());
  }

  /**
   * Waits for the first answer, then sends the requests a function meets — a GET, a JSON POST and a
   * binary CloudEvent — whatever their status: what is trained is the classes they load.
   */
  private static boolean serve(Process process, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI uri = URI.create("http://127.0.0.1:" + port + "/");
    long deadline = System.nanoTime() + READY.toNanos();
    while (!answers(http, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build())) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50); // polling a process that has no readiness signal of its own to wait on
    }
    List<HttpRequest> requests =
        List.of(
            HttpRequest.newBuilder(uri.resolve("/?name=training")).build(),
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"training\"}"))
                .build(),
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", "training-1")
                .header("ce-source", "/kinetic/images")
                .header("ce-type", "dev.kinetic.training")
                .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"t-1\"}"))
                .build());
    for (int i = 0; i < REQUESTS; i++) {
      for (HttpRequest request : requests) {
        answers(http, request);
      }
    }
    return true;
  }

  private static boolean answers(HttpClient http, HttpRequest request) throws InterruptedException {
    try {
      http.send(request, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
