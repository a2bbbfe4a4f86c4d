package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRD's OpenAPI schema checked by local mode, and the two checks together on every bad case.
 */
class CrdSchemaTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final CrdSchema SCHEMA =
      CrdSchema.of(CrdRules.schemaFromJar(YAML, CrdRules.FUNCTIONS_CRD), YAML);

  /** The manifests the real-API-server test expects the server to refuse. */
  private static final Path INVALID = Path.of("../api/src/test/resources/invalid-functions");

  private static final Path INVALID_TRIGGERS =
      Path.of("../api/src/test/resources/invalid-triggers");

  private static final String VALID =
      """
      apiVersion: kinetic.dev/v1alpha1
      kind: Function
      metadata: {name: hello, annotations: {kinetic.dev/local-command: java -jar x.jar}}
      spec:
        image: example.com/hello:1
        port: 8080
        env: [{name: GREETING, value: hi}]
        concurrency: {hard: 10, target: 7}
        scale: {min: 0, max: 5, idleTimeout: 90s}
        resources: {limits: {memory: 256Mi}}
      """;

  @SuppressWarnings("unchecked")
  private static List<String> violations(String yaml) {
    return SCHEMA.violations(YAML.unmarshal(yaml, Map.class));
  }

  @Test
  void aValidManifestFitsTheSchema() {
    assertThat(violations(VALID)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "port: 8080 | port: 0 | spec.port: must have a minimum value of 1",
        "port: 8080 | port: http | spec.port: string found, integer expected",
        "hard: 10 | hard: -1 | spec.concurrency.hard: must have a minimum value of 0",
        "image: example.com/hello:1 | image: '' | spec.image: must be at least 1 characters long",
        "env: [{name: GREETING, value: hi}] | replica: 3 | spec: property 'replica' is not defined in the schema",
        "memory: 256Mi | memory: [1] | spec.resources.limits.memory: ",
      })
  void eachSchemaProblemIsReportedWithItsPath(String from, String to, String message) {
    assertThat(violations(VALID.replace(from, to)))
        .anySatisfy(v -> assertThat(v).startsWith(message));
  }

  @Test
  void aMemoryLimitThatIsNotAQuantityIsRefusedWithTheOperatorsMessage(@TempDir Path dir)
      throws IOException {
    // The CRD cannot check quantities; the operator reports them as InvalidSpec with this message.
    Files.writeString(dir.resolve("bad.yaml"), VALID.replace("memory: 256Mi", "memory: lots"));

    Manifests.Loaded loaded = Manifests.load(dir, "java");

    assertThat(loaded.functions()).isEmpty();
    assertThat(loaded.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .endsWith(
                        "spec.resources.limits.memory: 'lots' is not a quantity; write a number"
                            + " or one such as 256Mi, 1Gi or 500m"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/developer/config, true",
    "/system-config, true",
    "/processes, true",
    "/tmpl, true",
    "/dev, false",
    "/dev/shm, false",
    "/sys/fs, false",
    "/proc, false",
    "/tmp/cache, false"
  })
  void aMountPathIsRefusedInTheReservedFoldersNotBesideThem(
      String mountPath, boolean admitted, @TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("f.yaml"),
        VALID
            + "  volumes: [{name: v, mountPath: %s, secret: {secretName: s}}]\n"
                .formatted(mountPath));

    Manifests.Loaded loaded = Manifests.load(dir, "java");

    assertThat(loaded.functions()).hasSize(admitted ? 1 : 0);
    if (!admitted) {
      assertThat(loaded.problems())
          .singleElement()
          .satisfies(p -> assertThat(p).contains("volumes[].mountPath must not be /, /tmp"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"6s, true", "1h, true", "1m30s, true", "5s, false", "5999ms, false", "61m, false"})
  void theWindowIsAdmittedFromSixSecondsToAnHour(String window, boolean admitted, @TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("f.yaml"), VALID.replace("idleTimeout: 90s", "window: " + window));

    Manifests.Loaded loaded = Manifests.load(dir, "java");

    assertThat(loaded.functions()).hasSize(admitted ? 1 : 0);
    if (!admitted) {
      assertThat(loaded.problems())
          .singleElement()
          .satisfies(p -> assertThat(p).contains("scale.window must be between 6s and 1h"));
    }
  }

  /**
   * The whole manifests the docs show (a YAML block with a Function's or Trigger's apiVersion and
   * kind) are ones the API server and local mode admit: a doc that drifted from the CRD fails here.
   */
  @Test
  void everyManifestInTheDocsFitsTheSchemaAndTheRules(@TempDir Path dir) throws IOException {
    java.util.regex.Pattern block =
        java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL);
    List<Path> pages = new java.util.ArrayList<>();
    pages.add(Path.of("../../README.md"));
    try (var docs = Files.list(Path.of("../../docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    int manifests = 0;
    for (Path page : pages) {
      var m = block.matcher(Files.readString(page));
      while (m.find()) {
        String yaml = m.group(1);
        if (!yaml.contains("apiVersion: kinetic.dev/v1alpha1")) {
          continue;
        }
        Path one = Files.createDirectory(dir.resolve("manifest-" + manifests++));
        Files.writeString(one.resolve("manifest.yaml"), yaml);
        // Local mode runs the jar beside a manifest; its content does not matter to admission.
        Files.createDirectories(one.resolve("target"));
        Files.createFile(one.resolve("target/function.jar"));
        Manifests.Loaded loaded = Manifests.load(one, "java");
        assertThat(loaded.problems()).as(page.getFileName() + ":\n" + yaml).isEmpty();
      }
    }
    assertThat(manifests).as("manifests in the docs").isPositive();
  }

  @Test
  void everyExampleFitsTheSchemaAndTheRules() throws IOException {
    Manifests.Loaded loaded = Manifests.load(Path.of("../../examples"), "java");

    // Without a build the examples' jars may be missing; nothing else may be wrong with them.
    assertThat(loaded.problems()).allMatch(p -> p.contains("function.jar to run"));
    assertThat(loaded.functions().size() + loaded.problems().size()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void anUnknownTopLevelFieldIsRefusedAndTheStandardOnesAreNot() {
    assertThat(violations(VALID.replace("kind: Function", "kind: Function\nspecs: {}")))
        .singleElement()
        .satisfies(v -> assertThat(v).startsWith("property 'specs' is not defined in the schema"));
  }

  @Test
  void everyManifestTheApiServerRefusesIsRefusedLocallyToo() throws IOException {
    long files;
    try (Stream<Path> list = Files.list(INVALID)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).count();
    }

    Manifests.Loaded loaded = Manifests.load(INVALID, "java");

    assertThat(loaded.functions()).isEmpty();
    assertThat(loaded.problems()).hasSize((int) files);
    loaded.problems().forEach(System.out::println);
    assertThat(loaded.problems())
        .noneMatch(p -> p.contains("no ") && p.contains("function.jar"))
        .as("refused for what they say, not for a missing jar");
  }

  private static String header(Path file, String key) throws IOException {
    return Files.readString(file)
        .lines()
        .filter(l -> l.startsWith("# " + key + ": "))
        .findFirst()
        .orElseThrow()
        .substring(("# " + key + ": ").length());
  }

  @Test
  void everyTriggerTheApiServerRefusesIsRefusedLocallyWithItsMessage(@TempDir Path tmp)
      throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(INVALID_TRIGGERS)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      Path alone = Files.createDirectory(tmp.resolve(file.getFileName() + ".alone"));
      Files.copy(file, alone.resolve(file.getFileName()));
      String expect = header(file, "expect");
      String path = header(file, "schema").split(" ")[0];
      // An array item's rule is named "x.items" in the header; both checkers say "x[0]".
      String field = path.endsWith(".items") ? path.replace(".items", "[") : path + ":";

      Manifests.Loaded loaded = Manifests.load(alone, "java");

      assertThat(loaded.triggers()).as(file.toString()).isEmpty();
      // The API server's own words where the rule is ours (CEL), else the field it is about.
      assertThat(loaded.problems())
          .as(file.toString())
          .singleElement()
          .asString()
          .satisfiesAnyOf(
              p -> assertThat(p).contains(expect),
              p -> assertThat(p).contains(field),
              p ->
                  assertThat(p)
                      .contains(
                          "property '"
                              + path.substring(path.lastIndexOf('.') + 1)
                              + "' is not defined"));
    }
  }
}
