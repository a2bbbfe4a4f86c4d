package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How local mode reads a folder's files: several documents a file, as kubectl apply -f does. */
class ManifestsTest {
  private static final String FUNCTION =
      """
      apiVersion: kinetic.dev/v1alpha1
      kind: Function
      metadata: {name: report, annotations: {kinetic.dev/local-command: java -jar x.jar}}
      spec:
        image: example.com/report:1
      """;

  private static final String TRIGGER =
      """
      apiVersion: kinetic.dev/v1alpha1
      kind: Trigger
      metadata: {name: nightly}
      spec:
        function: report
        schedule: {cron: "0 2 * * *"}
      """;

  private static final String SECRET =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: db}
      stringData: {password: s3cret}
      """;

  @TempDir Path dir;

  private Manifests.Loaded load(String yaml) throws IOException {
    Files.writeString(dir.resolve("all.yaml"), yaml);
    return Manifests.load(dir, "java");
  }

  @Test
  void aFileWithAFunctionItsTriggerAndASecretRunsTheFunctionAndTheTrigger() throws IOException {
    Manifests.Loaded loaded = load("---\n" + FUNCTION + "---\n" + SECRET + "---\n" + TRIGGER);

    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.functions()).extracting(f -> f.key().name()).containsExactly("report");
    assertThat(loaded.triggers()).extracting(LocalTrigger::key).containsExactly("default/nightly");
  }

  @Test
  void aBadDocumentIsRefusedByNameAndTheOthersOfItsFileStillCount() throws IOException {
    Manifests.Loaded loaded = load(FUNCTION + "---\n" + TRIGGER.replace("0 2 * * *", "0 2 * *"));

    assertThat(loaded.functions()).extracting(f -> f.key().name()).containsExactly("report");
    assertThat(loaded.triggers()).isEmpty();
    assertThat(loaded.problems())
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("all.yaml: Trigger nightly: "));
    assertThat(loaded.refused()).containsExactly(dir.resolve("all.yaml").toAbsolutePath());
  }

  @Test
  void aVersionOfTheGroupThatIsNotServedIsRefusedAsKubectlWould() throws IOException {
    Manifests.Loaded loaded = load(FUNCTION.replace("kinetic.dev/v1alpha1", "kinetic.dev/v1"));

    assertThat(loaded.functions()).isEmpty();
    assertThat(loaded.problems())
        .containsExactly(
            "all.yaml: apiVersion kinetic.dev/v1 is not served: no matches for kind Function in"
                + " that version; use kinetic.dev/v1alpha1");
  }

  @Test
  void aDocumentOfAnUnservedVersionIsRefusedAloneAndTheOthersOfItsFileStillCount()
      throws IOException {
    Manifests.Loaded loaded =
        load(FUNCTION + "---\n" + TRIGGER.replace("kinetic.dev/v1alpha1", "kinetic.dev/v1beta1"));

    assertThat(loaded.functions()).extracting(f -> f.key().name()).containsExactly("report");
    assertThat(loaded.triggers()).isEmpty();
    assertThat(loaded.problems())
        .containsExactly(
            "all.yaml: Trigger nightly: apiVersion kinetic.dev/v1beta1 is not served: no matches"
                + " for kind Trigger in that version; use kinetic.dev/v1alpha1");
  }

  @Test
  void anotherProjectsFunctionIsNotOursToRunNorToRefuse() throws IOException {
    Manifests.Loaded loaded =
        load(
            """
            apiVersion: openfaas.com/v1
            kind: Function
            metadata: {name: nodeinfo}
            spec: {name: nodeinfo, image: ghcr.io/openfaas/nodeinfo:latest}
            """);

    assertThat(loaded.functions()).isEmpty();
    assertThat(loaded.problems()).isEmpty();
  }

  @Test
  void aFileThatIsNotYamlIsRefusedWithTheParsersWords() throws IOException {
    Manifests.Loaded loaded = load(FUNCTION + "  env: [unclosed\n");

    assertThat(loaded.functions()).isEmpty();
    assertThat(loaded.problems())
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("all.yaml: cannot be read as YAML: "));
  }
}
