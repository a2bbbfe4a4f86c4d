package dev.kinetic.images;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One image: its name, the directories that become its application layers (in order, least often
 * changing first), how it starts, and what it listens on.
 *
 * @param layers layer name to (directory on disk, path in the image)
 */
record ImageSpec(
    String name,
    Map<String, Layer> layers,
    List<String> entrypoint,
    List<Integer> ports,
    String description) {

  /** The image's tarball and digest files are named after it; names may hold a slash. */
  String fileName() {
    return name.replace('/', '-');
  }

  record Layer(Path source, String target) {}
}
