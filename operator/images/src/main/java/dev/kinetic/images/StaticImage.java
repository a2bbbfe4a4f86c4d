package dev.kinetic.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * An image holding one static program and nothing else, for the test cluster's own pieces that are
 * Go programs (its pods' pause sandbox, its DNS server): no registry is reachable, so the cluster
 * imports them like the platform's images. Runs as the same non-root user as the Java images.
 */
public final class StaticImage {
  private StaticImage() {}

  /**
   * Writes {@code reference} to {@code tarball}: {@code binary} at {@code /<its name>}, started
   * with {@code args}.
   */
  public static void write(Path binary, List<String> args, String reference, Path tarball)
      throws Exception {
    if (!Files.isExecutable(binary)) {
      throw new IllegalArgumentException(binary + " is not an executable file");
    }
    Path layerRoot = tarball.resolveSibling(tarball.getFileName() + ".layer");
    Files.createDirectories(layerRoot);
    Path inLayer = layerRoot.resolve(binary.getFileName());
    Files.copy(binary, inLayer, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String entry = "/" + binary.getFileName();
    Jib.fromScratch()
        .addFileEntriesLayer(ImageAssembler.layer("program", layerRoot, "/"))
        .setFormat(ImageFormat.OCI)
        .setCreationTime(Instant.EPOCH)
        .setUser(JavaRuntimeRootfs.UID + ":" + JavaRuntimeRootfs.UID)
        .setEntrypoint(entry)
        .setProgramArguments(args)
        .containerize(
            Containerizer.to(TarImage.at(tarball).named(reference))
                .setOfflineMode(true)
                .setToolName("kinetic-images"));
  }
}
