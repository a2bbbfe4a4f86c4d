package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.FunctionVolume;
import dev.kinetic.api.VolumeItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalVolumesTest {
  private static final LocalObjects OBJECTS =
      new LocalObjects(
          Map.of("db/user", "app", "db/password", "pw", "tls/tls.crt", "CERT", "other/x", "y"),
          Map.of("app-config/settings.json", "{}"));

  @Test
  void aSecretVolumeHoldsEachOfItsKeysAndAVariableNamingAPathUnderItIsPointedThere()
      throws Exception {
    FunctionSpec spec = new FunctionSpec();
    spec.setVolumes(List.of(FunctionVolume.ofSecret("db", "/var/run/secrets/db", "db")));

    try (LocalVolumes volumes = LocalVolumes.write(spec, OBJECTS)) {
      Path password = Path.of(volumes.rewrite("/var/run/secrets/db/password"));
      assertThat(password).hasContent("pw");
      assertThat(password.resolveSibling("user")).hasContent("app");
      assertThat(password.getParent()).isDirectoryNotContaining("glob:**/x");
      assertThat(Path.of(volumes.rewrite("/var/run/secrets/db"))).isEqualTo(password.getParent());
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(password.getParent().getParent())))
          .isEqualTo("rwx------");
      // Not under the mountPath: left as written.
      assertThat(volumes.rewrite("/var/run/secrets/dbx")).isEqualTo("/var/run/secrets/dbx");
      assertThat(volumes.rewrite("postgres://db")).isEqualTo("postgres://db");
      assertThat(volumes.notes()).isEmpty();
    }
  }

  @Test
  void anEmptyDirIsAnEmptyFolderTheProcessMayWrite() throws Exception {
    FunctionSpec spec = new FunctionSpec();
    spec.setVolumes(List.of(FunctionVolume.ofEmptyDir("cache", "/var/cache/app", "256Mi")));

    try (LocalVolumes volumes = LocalVolumes.write(spec, OBJECTS)) {
      Path cache = Path.of(volumes.rewrite("/var/cache/app"));
      assertThat(cache).isEmptyDirectory();
      Files.writeString(cache.resolve("entry"), "kept");
      assertThat(Path.of(volumes.rewrite("/var/cache/app/entry"))).hasContent("kept");
      assertThat(volumes.notes()).isEmpty();
    }
  }

  @Test
  void itemsPutOnlyTheirKeysAtTheirPaths() throws Exception {
    FunctionVolume certs = FunctionVolume.ofSecret("certs", "/etc/certs", "tls");
    certs.getSecret().setItems(List.of(new VolumeItem("tls.crt", "server/cert.pem")));
    FunctionSpec spec = new FunctionSpec();
    spec.setVolumes(List.of(certs));

    try (LocalVolumes volumes = LocalVolumes.write(spec, OBJECTS)) {
      assertThat(Path.of(volumes.rewrite("/etc/certs/server/cert.pem"))).hasContent("CERT");
      assertThat(Path.of(volumes.rewrite("/etc/certs/tls.crt"))).doesNotExist();
    }
  }

  @Test
  void aConfigMapComesFromItsFileAndAnObjectWithoutKeysThereIsAnEmptyFolderAndSaidSo()
      throws Exception {
    FunctionSpec spec = new FunctionSpec();
    spec.setVolumes(
        List.of(
            FunctionVolume.ofConfigMap("config", "/etc/app", "app-config"),
            FunctionVolume.ofConfigMap("flags", "/etc/flags", "feature-flags"),
            FunctionVolume.ofSecret("api", "/etc/api", "api-token")));

    try (LocalVolumes volumes = LocalVolumes.write(spec, OBJECTS)) {
      assertThat(Path.of(volumes.rewrite("/etc/app/settings.json"))).hasContent("{}");
      assertThat(Path.of(volumes.rewrite("/etc/flags"))).isEmptyDirectory();
      assertThat(Path.of(volumes.rewrite("/etc/api"))).isEmptyDirectory();
      assertThat(volumes.notes())
          .containsExactly(
              "volume flags is empty: no feature-flags/<key>=<value> line in the config-maps file",
              "volume api is empty: no api-token/<key>=<value> line in the secrets file");
    }
  }

  @Test
  void closingRemovesEveryFileAndAFunctionWithoutVolumesWritesNothing() throws Exception {
    FunctionSpec spec = new FunctionSpec();
    spec.setVolumes(List.of(FunctionVolume.ofSecret("db", "/var/run/secrets/db", "db")));
    LocalVolumes volumes = LocalVolumes.write(spec, OBJECTS);
    Path root = Path.of(volumes.rewrite("/var/run/secrets/db")).getParent();
    volumes.close();
    assertThat(root).doesNotExist();

    assertThat(LocalVolumes.write(new FunctionSpec(), OBJECTS)).isSameAs(LocalVolumes.NONE);
    assertThat(LocalVolumes.NONE.rewrite("/etc/app")).isEqualTo("/etc/app");
  }
}
