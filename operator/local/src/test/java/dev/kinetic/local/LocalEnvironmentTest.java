package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.FunctionVolume;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalEnvironmentTest {
  private static final LocalObjects OBJECTS =
      new LocalObjects(
          Map.of("db/user", "app", "db/password", "pw"),
          Map.of("app-config/LOG_LEVEL", "debug", "app-config/REGION", "eu"));

  @Test
  void referencesResolveFromTheLocalFilesAndAMissingOneStaysUnset() {
    FunctionSpec spec = new FunctionSpec();
    spec.setEnv(
        List.of(
            new EnvVar("GREETING", "Hej", null),
            new EnvVarBuilder()
                .withName("DB_PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", null)
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("LOG_LEVEL")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("LOG_LEVEL", "app-config", null)
                .endValueFrom()
                .build(),
            new EnvVarBuilder()
                .withName("MISSING")
                .withNewValueFrom()
                .withNewSecretKeyRef("token", "absent", true)
                .endValueFrom()
                .build()));

    assertThat(LocalEnvironment.variables(spec, OBJECTS, LocalVolumes.NONE))
        .containsExactly(
            Map.entry("GREETING", "Hej"),
            Map.entry("DB_PASSWORD", "pw"),
            Map.entry("LOG_LEVEL", "debug"));
  }

  @Test
  void envFromPutsEveryKeyWithItsPrefixAndEnvWins() {
    FunctionSpec spec = new FunctionSpec();
    spec.setEnvFrom(
        List.of(
            new EnvFromSourceBuilder().withNewConfigMapRef("app-config", null).build(),
            new EnvFromSourceBuilder().withPrefix("DB_").withNewSecretRef("db", null).build()));
    spec.setEnv(List.of(new EnvVar("REGION", "us", null)));

    assertThat(LocalEnvironment.variables(spec, OBJECTS, LocalVolumes.NONE))
        .containsOnly(
            Map.entry("LOG_LEVEL", "debug"),
            Map.entry("REGION", "us"),
            Map.entry("DB_user", "app"),
            Map.entry("DB_password", "pw"));
  }

  @Test
  void aValueUnderAMountPathPointsAtTheVolumesFolder() throws Exception {
    FunctionSpec spec = new FunctionSpec();
    spec.setVolumes(List.of(FunctionVolume.ofSecret("db", "/var/run/secrets/db", "db")));
    spec.setEnv(List.of(new EnvVar("DB_PASSWORD_FILE", "/var/run/secrets/db/password", null)));

    try (LocalVolumes volumes = LocalVolumes.write(spec, OBJECTS)) {
      String file = LocalEnvironment.variables(spec, OBJECTS, volumes).get("DB_PASSWORD_FILE");
      assertThat(file).startsWith(System.getProperty("java.io.tmpdir")).endsWith("/db/password");
      assertThat(java.nio.file.Path.of(file)).hasContent("pw");
    }
  }
}
