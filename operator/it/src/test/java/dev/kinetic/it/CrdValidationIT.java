package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs in crds/ on a real kube-apiserver: every kept invalid manifest is rejected with its own
 * message (OpenAPI and CEL), every example is accepted. Manifests are sent as kubectl apply sends
 * them: YAML, with strict field validation, here as a dry run so nothing is stored.
 */
class CrdValidationIT {
  private static final String NAMESPACE = "crd-validation";
  private static KubernetesClient admin;

  @BeforeAll
  static void start() {
    admin = SharedApiServer.admin();
    ApiServer.createNamespace(admin, NAMESPACE);
  }

  static Stream<Path> invalidManifests() throws IOException {
    return Stream.concat(invalid("invalid-functions"), invalid("invalid-triggers"));
  }

  private static Stream<Path> invalid(String folder) throws IOException {
    Path dir = Repository.root().resolve("operator/api/src/test/resources").resolve(folder);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(Repository.root().resolve("examples"))) {
      return files
          .filter(
              p ->
                  p.getFileName().toString().equals("function.yaml")
                      || p.getFileName().toString().equals("trigger.yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"functions.kinetic.dev", "triggers.kinetic.dev"})
  void theCrdsAreServed(String name) {
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(name).get())
        .isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void rejectsEachInvalidManifestWithItsMessage(Path manifest) throws Exception {
    String yaml = Files.readString(manifest);
    String expected = header(yaml, "expect");

    HttpResponse<String> response = createDryRun(yaml);

    String message =
        admin.getKubernetesSerialization().unmarshal(response.body(), Status.class).getMessage();
    System.out.printf("%s -> %d %s%n", manifest.getFileName(), response.code(), message);
    assertThat(response.code()).as(response.body()).isIn(400, 422);
    assertThat(message).contains(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void acceptsEveryExample(Path manifest) throws Exception {
    HttpResponse<String> response = createDryRun(Files.readString(manifest));
    assertThat(response.code()).as(response.body()).isEqualTo(201);
  }

  @Test
  void fillsTheDocumentedDefaults() throws Exception {
    String yaml =
        "apiVersion: kinetic.dev/v1alpha1\nkind: Function\nmetadata:\n  name: defaults\n"
            + "spec:\n  image: example.com/hello:1\n  concurrency: {}\n  scale: {}\n";
    HttpResponse<String> response = createDryRun(yaml);
    assertThat(response.code()).as(response.body()).isEqualTo(201);
    assertThat(response.body())
        .contains("\"port\":8080")
        .contains("\"timeoutSeconds\":30")
        .contains("\"hard\":0")
        .contains("\"min\":0")
        .contains("\"idleTimeout\":\"60s\"")
        .contains("\"window\":\"60s\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"6s, 201", "1h, 201", "5999ms, 422", "61m, 422"})
  void admitsAWindowFromSixSecondsToAnHour(String window, int code) throws Exception {
    String yaml =
        "apiVersion: kinetic.dev/v1alpha1\nkind: Function\nmetadata:\n  name: windowed\n"
            + "spec:\n  image: example.com/hello:1\n  scale: {window: %s}\n".formatted(window);
    HttpResponse<String> response = createDryRun(yaml);
    assertThat(response.code()).as(response.body()).isEqualTo(code);
  }

  @Test
  void fillsTheDocumentedTriggerDefaults() throws Exception {
    String yaml =
        "apiVersion: kinetic.dev/v1alpha1\nkind: Trigger\nmetadata:\n  name: defaults\n"
            + "spec:\n  function: report\n  schedule:\n    cron: '@daily'\n  delivery: {}\n";
    HttpResponse<String> response = createDryRun(yaml);
    assertThat(response.code()).as(response.body()).isEqualTo(201);
    assertThat(response.body())
        .contains("\"timeZone\":\"UTC\"")
        .contains("\"startingDeadlineSeconds\":60")
        .contains("\"concurrencyPolicy\":\"Allow\"")
        .contains("\"retries\":3")
        .contains("\"minBackoff\":\"1s\"")
        .contains("\"maxBackoff\":\"60s\"");
  }

  private static HttpResponse<String> createDryRun(String yaml) throws Exception {
    String plural =
        yaml.lines().anyMatch(l -> l.equals("kind: Trigger")) ? "triggers" : "functions";
    return RawCreate.create(
        admin, NAMESPACE, plural, "dryRun=All&fieldValidation=Strict", "application/yaml", yaml);
  }

  private static String header(String yaml, String key) {
    String prefix = "# " + key + ": ";
    List<String> found =
        yaml.lines()
            .filter(l -> l.startsWith(prefix))
            .map(l -> l.substring(prefix.length()))
            .toList();
    assertThat(found).as("header '%s'", prefix).hasSize(1);
    return found.get(0).trim();
  }
}
