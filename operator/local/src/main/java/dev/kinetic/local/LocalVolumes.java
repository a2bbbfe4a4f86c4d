package dev.kinetic.local;

import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.FunctionVolume;
import dev.kinetic.api.KeyedVolumeSource;
import dev.kinetic.api.VolumeItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Function's {@code volumes} as local mode gives them to one process: a process cannot have files
 * at {@code /var/run/secrets/...} without root, so each volume's files are written to a private
 * temporary folder, and a variable whose value names a path under a mountPath is pointed there. A
 * Secret's keys come from the secrets file, as {@code secretKeyRef} values do; there are no
 * ConfigMaps locally, so a ConfigMap volume is an empty folder; an emptyDir is one the process may
 * write. Removed when the process ends.
 */
final class LocalVolumes implements AutoCloseable {
  static final LocalVolumes NONE = new LocalVolumes(null, Map.of(), List.of());

  private final Path root;
  private final Map<String, Path> folders; // mountPath → its folder here
  private final List<String> notes;

  private LocalVolumes(Path root, Map<String, Path> folders, List<String> notes) {
    this.root = root;
    this.folders = folders;
    this.notes = notes;
  }

  /** Writes the volumes' files; none for a Function without volumes. */
  static LocalVolumes write(FunctionSpec spec, LocalObjects objects) throws IOException {
    if (spec.volumesOrEmpty().isEmpty()) {
      return NONE;
    }
    // Owner only, as the kubelet's tmpfs for a pod's Secrets is the pod's.
    Path root =
        Files.createTempDirectory(
            "kinetic-volumes-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Map<String, Path> folders = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (FunctionVolume volume : spec.volumesOrEmpty()) {
      Path folder = Files.createDirectory(root.resolve(volume.getName()));
      folders.put(volume.getMountPath(), folder);
      if (volume.getEmptyDir() != null) {
        continue; // an empty folder the process may write, with no size limit here
      }
      boolean secret = volume.getSecret() != null;
      String name = secret ? volume.getSecret().getSecretName() : volume.getConfigMap().getName();
      KeyedVolumeSource source = secret ? volume.getSecret() : volume.getConfigMap();
      Map<String, String> keys = secret ? objects.secret(name) : objects.configMap(name);
      if (source.getItems() == null) {
        for (Map.Entry<String, String> key : keys.entrySet()) {
          writeFile(folder, key.getKey(), key.getValue());
        }
      } else {
        for (VolumeItem item : source.getItems()) {
          if (keys.containsKey(item.getKey())) {
            writeFile(folder, item.getPath(), keys.get(item.getKey()));
          }
        }
      }
      if (keys.isEmpty()) {
        notes.add(
            "volume %s is empty: no %s/<key>=<value> line in the %s file"
                .formatted(volume.getName(), name, secret ? "secrets" : "config-maps"));
      }
    }
    return new LocalVolumes(root, folders, notes);
  }

  /** A variable's value with a mountPath it starts with replaced by that volume's folder here. */
  String rewrite(String value) {
    for (Map.Entry<String, Path> volume : folders.entrySet()) {
      String mountPath = volume.getKey();
      if (value.equals(mountPath) || value.startsWith(mountPath + "/")) {
        return volume.getValue() + value.substring(mountPath.length());
      }
    }
    return value;
  }

  /** What a user should know: volumes that are empty here, and why. */
  List<String> notes() {
    return notes;
  }

  @Override
  public void close() {
    if (root == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }

  private static void writeFile(Path folder, String path, String value) throws IOException {
    // The CRD refuses absolute paths and .. segments; checked again, since this writes files.
    Path file = folder.resolve(path).normalize();
    if (!file.startsWith(folder)) {
      throw new IllegalArgumentException("volume item path " + path + " leaves its folder");
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, value, StandardCharsets.UTF_8);
  }
}
