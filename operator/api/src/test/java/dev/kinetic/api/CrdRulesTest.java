package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each invalid manifest under test resources names the schema rule that must reject it; this test
 * finds that rule in the generated CRD. Whether the API server really rejects the manifest with
 * that message is the job of InvalidManifestsIT, which runs a real kube-apiserver.
 */
class CrdRulesTest {
  static final Path INVALID_FUNCTIONS = Path.of("src", "test", "resources", "invalid-functions");
  static final Path INVALID_TRIGGERS = Path.of("src", "test", "resources", "invalid-triggers");

  static Stream<Path> invalidManifests() throws IOException {
    return Stream.concat(list(INVALID_FUNCTIONS), list(INVALID_TRIGGERS));
  }

  private static Stream<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void keepsAtLeastTenInvalidManifestsOfEachKind() throws IOException {
    assertThat(list(INVALID_FUNCTIONS)).hasSizeGreaterThanOrEqualTo(10);
    assertThat(list(INVALID_TRIGGERS)).hasSizeGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void theRuleThatRejectsEachInvalidManifestIsInTheCrd(Path manifest) throws IOException {
    InvalidManifest m = InvalidManifest.read(manifest);
    JSONSchemaProps root = schema(m.crdFile());
    assertThat(m.file().startsWith(INVALID_TRIGGERS))
        .as("%s is kept with its kind", m.file())
        .isEqualTo(m.crdFile().startsWith("triggers"));
    String[] words = m.schemaRule().split(" ");
    String path = words[0];
    String rule = words[1];

    if (path.equals("metadata.name") || path.equals("root")) {
      // The API server only lets root-level rules see metadata.name; "root" names such a rule.
      assertThat(messages(root)).anyMatch(msg -> msg.contains(m.expect()));
      return;
    }
    if (rule.equals("absent")) {
      String parent = path.substring(0, path.lastIndexOf('.'));
      String field = path.substring(path.lastIndexOf('.') + 1);
      JSONSchemaProps container = at(root, parent);
      assertThat(container.getProperties()).doesNotContainKey(field);
      assertThat(container.getXKubernetesPreserveUnknownFields()).isNotEqualTo(Boolean.TRUE);
      return;
    }
    JSONSchemaProps node = at(root, path);
    switch (rule) {
      case "minimum" -> assertThat(node.getMinimum()).isNotNull();
      case "maximum" -> assertThat(node.getMaximum()).isNotNull();
      case "minLength" -> assertThat(node.getMinLength()).isNotNull();
      case "maxItems" -> assertThat(node.getMaxItems()).isNotNull();
      case "pattern" -> assertThat(node.getPattern()).isNotNull();
      case "enum" -> assertThat(node.getEnum()).isNotEmpty();
      case "cel" -> assertThat(messages(node)).anyMatch(msg -> msg.contains(m.expect()));
      case "type:boolean" -> assertThat(node.getType()).isEqualTo("boolean");
      default -> {
        assertThat(rule).startsWith("required:");
        assertThat(node.getRequired()).contains(rule.substring("required:".length()));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"functions.kinetic.dev-v1.yml", "triggers.kinetic.dev-v1.yml"})
  void everyCelRuleHasAMessage(String crdFile) {
    assertThat(allRules(schema(crdFile))).isNotEmpty().allMatch(r -> r.getMessage() != null);
  }

  static JSONSchemaProps schema(String crdFile) {
    Path crd = Path.of("target", "kubernetes", crdFile);
    try (InputStream in = Files.newInputStream(crd)) {
      CustomResourceDefinition definition =
          new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      return definition.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + crd, e);
    }
  }

  private static JSONSchemaProps at(JSONSchemaProps root, String dottedPath) {
    JSONSchemaProps node = root;
    for (String part : dottedPath.split("\\.")) {
      // "items" steps into an array's item schema, as the API server's paths do with [i]; in an
      // object it is a field of that name (a volume's secret.items).
      node =
          part.equals("items") && "array".equals(node.getType())
              ? node.getItems().getSchema()
              : node.getProperties().get(part);
      assertThat(node).as("schema has %s", dottedPath).isNotNull();
    }
    return node;
  }

  private static List<String> messages(JSONSchemaProps node) {
    return Optional.ofNullable(node.getXKubernetesValidations()).orElse(List.of()).stream()
        .map(ValidationRule::getMessage)
        .toList();
  }

  private static List<ValidationRule> allRules(JSONSchemaProps node) {
    Stream<ValidationRule> own =
        Optional.ofNullable(node.getXKubernetesValidations()).orElse(List.of()).stream();
    Stream<ValidationRule> children =
        Stream.concat(
                Optional.ofNullable(node.getProperties())
                    .map(p -> p.values().stream())
                    .orElse(Stream.empty()),
                Optional.ofNullable(node.getItems())
                    .map(i -> Optional.ofNullable(i.getSchema()).stream())
                    .orElse(Stream.empty()))
            .flatMap(child -> allRules(child).stream());
    return Stream.concat(own, children).toList();
  }
}
