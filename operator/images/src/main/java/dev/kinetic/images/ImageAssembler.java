package dev.kinetic.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes an image tarball with Jib Core, from scratch: the runtime root first (changes with the
 * JDK), then the application's layers. Every file gets the same owner (root: the process runs as
 * {@link JavaRuntimeRootfs#UID} and only reads them) and the same timestamp, and the image its
 * creation time at the epoch, so the same inputs always give the same digest.
 */
final class ImageAssembler {
  /** Jib's own fixed file time: one second after the epoch. */
  static final Instant FILE_TIME = Instant.ofEpochSecond(1);

  private ImageAssembler() {}

  static JibContainer write(
      ImageSpec spec, Path runtimeRoot, String reference, Path tarball, Path cache)
      throws Exception {
    JibContainerBuilder image =
        Jib.fromScratch()
            .addFileEntriesLayer(layer("java-runtime", runtimeRoot, "/"))
            .setFormat(ImageFormat.OCI)
            .setCreationTime(Instant.EPOCH)
            .setUser(JavaRuntimeRootfs.UID + ":" + JavaRuntimeRootfs.UID)
            .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
            // Sorted: Map.of's order changes from run to run, and with it the config's digest.
            .setEnvironment(
                new TreeMap<>(
                    Map.of(
                        "JAVA_HOME",
                        JavaRuntimeRootfs.JAVA_HOME,
                        "PATH",
                        JavaRuntimeRootfs.JAVA_HOME + "/bin:/usr/bin:/bin")))
            .setEntrypoint(spec.entrypoint())
            .setExposedPorts(
                spec.ports().stream()
                    .map(Port::tcp)
                    .collect(Collectors.toCollection(LinkedHashSet::new)))
            .setLabels(labels(spec));
    for (Map.Entry<String, ImageSpec.Layer> e : spec.layers().entrySet()) {
      image.addFileEntriesLayer(layer(e.getKey(), e.getValue().source(), e.getValue().target()));
    }
    Files.createDirectories(tarball.getParent());
    return image.containerize(
        Containerizer.to(TarImage.at(tarball).named(reference))
            .setApplicationLayersCache(cache)
            .setBaseImageLayersCache(cache)
            .setOfflineMode(true)
            .setToolName("kinetic-images"));
  }

  private static Map<String, String> labels(ImageSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", spec.name());
    labels.put("org.opencontainers.image.description", spec.description());
    labels.put("org.opencontainers.image.licenses", "Apache-2.0");
    return labels;
  }

  /** Every file under {@code source}, at {@code target}, keeping only its executable bit. */
  static FileEntriesLayer layer(String name, Path source, String target) {
    try {
      FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
      if (target.equals("/")) {
        // The image root itself is no entry (it has no parent): add what is in it.
        try (Stream<Path> children = Files.list(source)) {
          for (Path child : children.sorted().toList()) {
            add(layer, child, "/" + child.getFileName());
          }
        }
      } else {
        add(layer, source, target);
      }
      return layer.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + " for layer " + name, e);
    }
  }

  private static void add(FileEntriesLayer.Builder layer, Path source, String target)
      throws IOException {
    layer.addEntryRecursive(
        source,
        AbsoluteUnixPath.get(target),
        (file, inImage) ->
            Files.isDirectory(file)
                ? FilePermissions.DEFAULT_FOLDER_PERMISSIONS
                : Files.isExecutable(file)
                    ? FilePermissions.fromOctalString("755")
                    : FilePermissions.DEFAULT_FILE_PERMISSIONS,
        (file, inImage) -> FILE_TIME,
        (file, inImage) -> "0:0");
  }
}
