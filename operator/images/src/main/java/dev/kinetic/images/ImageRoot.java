package dev.kinetic.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An image tarball (OCI layout, as Jib writes it) unpacked into a root folder, with what its config
 * says about how to start it: for tests that run an image without a container engine, in a chroot
 * with the image's user, entrypoint and environment. Only Jackson and the {@code tar} program, so
 * the integration-test module can use it without Jib.
 */
public record ImageRoot(
    Path root, String reference, List<String> entrypoint, Map<String, String> env, String user) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Unpacks {@code tarball} under {@code into} (which must exist and be empty). */
  public static ImageRoot unpack(Path tarball, Path into) throws IOException, InterruptedException {
    Path layout = Files.createDirectories(into.resolve("layout"));
    Path root = Files.createDirectories(into.resolve("root"));
    tar(layout, "-xf", tarball.toString());
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode descriptor = index.path("manifests").path(0);
    JsonNode manifest = JSON.readTree(blob(layout, descriptor.path("digest").asText()).toFile());
    for (JsonNode layer : manifest.path("layers")) {
      tar(root, "-xzf", blob(layout, layer.path("digest").asText()).toString());
    }
    JsonNode config =
        JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile())
            .path("config");
    List<String> entrypoint = new ArrayList<>();
    config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : config.path("Env")) {
      String[] kv = e.asText().split("=", 2);
      env.put(kv[0], kv[1]);
    }
    // Mount points a container runtime provides; the image itself has none of them.
    for (String dir : List.of("proc", "dev", "tmp")) {
      Files.createDirectories(root.resolve(dir));
    }
    return new ImageRoot(
        root,
        descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText(),
        List.copyOf(entrypoint),
        Map.copyOf(env),
        config.path("User").asText());
  }

  /**
   * The command that runs this image's entrypoint (plus {@code args}) as its user in a chroot of
   * its root, with {@code /proc}, {@code /dev} and a fresh {@code /tmp} mounted as a container
   * runtime would, in a private mount namespace that disappears with the process. Needs root and
   * util-linux ({@code unshare}, {@code chroot}).
   *
   * @param extraEnv added to the image's environment (what a pod spec would set)
   */
  public List<String> chrootCommand(Map<String, String> extraEnv, List<String> args) {
    Map<String, String> environment = new LinkedHashMap<>(env);
    environment.putAll(extraEnv);
    StringBuilder script = new StringBuilder();
    String r = quote(root.toString());
    script.append("mount -t proc proc ").append(r).append("/proc && ");
    script.append("mount --rbind /dev ").append(r).append("/dev && ");
    script.append("mount -t tmpfs tmpfs ").append(r).append("/tmp && ");
    script.append("exec env -i");
    environment.forEach((k, v) -> script.append(' ').append(quote(k + "=" + v)));
    script.append(" /usr/sbin/chroot --userspec=").append(user).append(' ').append(r);
    for (String part : entrypoint) {
      script.append(' ').append(quote(part));
    }
    for (String part : args) {
      script.append(' ').append(quote(part));
    }
    // --kill-child: should the unshare process die, the image's process gets SIGTERM instead of
    // living on. (unshare ignores SIGTERM itself while it waits: stop it with stop().)
    return List.of(
        "unshare", "--mount", "--fork", "--kill-child=SIGTERM", "sh", "-c", script.toString());
  }

  /** Starts {@link #chrootCommand} (no arguments), its output going to {@code log}. */
  public Process start(Map<String, String> extraEnv, Path log) throws IOException {
    return new ProcessBuilder(chrootCommand(extraEnv, List.of()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Stops a process started with {@link #chrootCommand} as a kubelet would: SIGTERM to the image's
   * process, then, after {@code grace}, SIGKILL. The signal goes to the descendants because unshare
   * ignores SIGTERM while it waits for its child.
   *
   * @return whether it stopped within the grace period
   */
  public static boolean stop(Process process, Duration grace) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    boolean stopped = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!stopped) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
    return stopped;
  }

  /**
   * Whether this machine can run {@link #chrootCommand}: root, chroot present, and a private mount
   * namespace allowed (a container without CAP_SYS_ADMIN refuses it) — tried, not assumed.
   */
  public static boolean canChroot() {
    if (!"root".equals(System.getProperty("user.name"))
        || !Files.isExecutable(Path.of("/usr/sbin/chroot"))) {
      return false;
    }
    try {
      Process probe =
          new ProcessBuilder("unshare", "--mount", "--fork", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!probe.waitFor(10, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return false;
      }
      return probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static Path blob(Path layout, String digest) {
    String[] parts = digest.split(":", 2);
    return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
  }

  private static void tar(Path dir, String mode, String file)
      throws IOException, InterruptedException {
    Command.succeed(
        List.of("tar", "--warning=no-unknown-keyword", mode, file, "-C", dir.toString()),
        Duration.ofMinutes(2));
  }
}
