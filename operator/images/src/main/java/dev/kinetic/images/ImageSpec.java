package dev.kinetic.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /**
   * This image with a class-data archive: the folder holding it becomes a layer in /app, and its
   * java is started with {@code flag}.
   */
  ImageSpec withClassData(Path folder, String flag) {
    Map<String, Layer> withArchive = new LinkedHashMap<>(layers);
    withArchive.put("class-data", new Layer(folder, "/app"));
    List<String> command = new ArrayList<>(entrypoint);
    command.add(1, flag);
    return new ImageSpec(name, withArchive, List.copyOf(command), ports, description);
  }

  record Layer(Path source, String target) {}
}
