package dev.kinetic.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI part of the generated CRD's schema (types, bounds, required fields, lengths) checked
 * on a manifest with a JSON-schema validator, so local mode refuses what the API server's schema
 * refuses. The CEL rules are {@link CrdRules}' job.
 *
 * <p>One adaptation, as the API server's strict field validation does: an object that lists its
 * properties accepts no others, unless it says {@code x-kubernetes-preserve-unknown-fields}.
 */
final class CrdSchema {
  private static final List<String> KUBERNETES_EXTENSIONS =
      List.of(
          "x-kubernetes-validations",
          "x-kubernetes-int-or-string",
          "x-kubernetes-preserve-unknown-fields",
          "x-kubernetes-embedded-resource",
          "x-kubernetes-list-type",
          "x-kubernetes-list-map-keys",
          "x-kubernetes-map-type");

  private final JsonSchema schema;
  private final KubernetesSerialization serialization;

  private CrdSchema(JsonSchema schema, KubernetesSerialization serialization) {
    this.schema = schema;
    this.serialization = serialization;
  }

  static CrdSchema of(JSONSchemaProps openApi, KubernetesSerialization serialization) {
    JsonNode tree = serialization.convertValue(openApi, JsonNode.class);
    // The API server knows these for every kind; the generated schema lists only spec and status.
    ObjectNode properties = ((ObjectNode) tree).withObjectProperty("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    closeObjects(tree);
    // OpenAPI 3.0 as Kubernetes writes it: its x-kubernetes-* extensions validate nothing here
    // (CEL rules are CrdRules' job; int-or-string is already spelled out as anyOf).
    JsonMetaSchema kubernetes =
        JsonMetaSchema.builder(OpenApi30.getInstance())
            .keywords(KUBERNETES_EXTENSIONS.stream().map(NonValidationKeyword::new).toList())
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(kubernetes).defaultMetaSchemaIri(kubernetes.getIri()));
    return new CrdSchema(factory.getSchema(tree), serialization);
  }

  /** Each problem as "path: message", in path order; empty when the manifest fits the schema. */
  List<String> violations(Map<String, Object> manifest) {
    JsonNode node = serialization.convertValue(manifest, JsonNode.class);
    return schema.validate(node).stream()
        .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
        .map(CrdSchema::describe)
        .toList();
  }

  private static String describe(ValidationMessage m) {
    // "$.spec.port: must have a minimum value of 1" -> "spec.port: must have a minimum value of 1"
    String message = m.getMessage();
    String location = m.getInstanceLocation().toString();
    if (message.startsWith(location + ": ")) {
      message = message.substring(location.length() + 2);
    }
    String path = location.startsWith("$.") ? location.substring(2) : location;
    return (path.equals("$") ? "" : path + ": ") + message;
  }

  private static void closeObjects(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties")
          && !object.has("additionalProperties")
          && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        object.put("additionalProperties", false);
      }
      object.properties().forEach(e -> closeObjects(e.getValue()));
    } else if (node != null && node.isArray()) {
      node.forEach(CrdSchema::closeObjects);
    }
  }
}
