package dev.kinetic.it.node;

import dev.kinetic.images.StaticImage;
import dev.kinetic.it.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images the node runs, all imported into containerd, none pulled (no registry is reachable):
 * the platform's and every example's from operator/images/target/images, plus the node's own pause
 * sandbox and CoreDNS, each made from its static program here.
 */
final class ClusterImages {
  static final String COREDNS_IMAGE = "kinetic.local/coredns:1";

  private ClusterImages() {}

  /** Imports every image; returns the references imported. */
  static List<String> importAll(NodeBinaries bins, NodeFolders dirs) {
    try {
      Files.createDirectories(dirs.images());
      Path pause = dirs.images().resolve("pause.tar");
      StaticImage.write(Path.of(bins.node("pause")), List.of(), NodeConfig.PAUSE_IMAGE, pause);
      Path coredns = dirs.images().resolve("coredns.tar");
      StaticImage.write(Path.of(bins.node("coredns")), List.of(), COREDNS_IMAGE, coredns);
      List<Path> tarballs = new ArrayList<>(List.of(pause, coredns));
      tarballs.addAll(platformImages());
      List<String> imported = new ArrayList<>();
      for (Path tarball : tarballs) {
        String out = ctr(bins, dirs, "images", "import", tarball.toString());
        imported.add(tarball.getFileName() + ": " + out.strip());
      }
      return imported;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the node's own images", e);
    }
  }

  /** The node's ctr on its containerd, in the namespace the kubelet's images are in. */
  static String ctr(NodeBinaries bins, NodeFolders dirs, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                bins.node("ctr"),
                "--address",
                dirs.containerdSocket().toString(),
                "--namespace",
                "k8s.io"));
    command.addAll(List.of(args));
    return HostState.run(command);
  }

  static List<Path> platformImages() throws IOException {
    Path dir = Repository.root().resolve("operator/images/target/images");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          dir + " is missing: build the images with `./mvnw -DskipTests install`");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".tar")).sorted().toList();
    }
  }
}
