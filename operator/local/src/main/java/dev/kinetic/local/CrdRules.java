package dev.kinetic.local;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CEL rules ({@code x-kubernetes-validations}) of the generated CRDs, evaluated on a manifest
 * with Google's CEL for Java: local mode refuses what the API server would refuse, with the same
 * messages, and no rule is written twice. The CRD comes from the jar (copied from crds/ at build).
 */
final class CrdRules {
  static final String FUNCTIONS_CRD = "/crds/functions.kinetic.dev-v1.yml";
  static final String TRIGGERS_CRD = "/crds/triggers.kinetic.dev-v1.yml";

  private final JSONSchemaProps schema;
  private final Cel cel =
      CelFactory.standardCelBuilder()
          .addVar("self", SimpleType.DYN)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .build();
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  private CrdRules(JSONSchemaProps schema) {
    this.schema = schema;
  }

  /**
   * @param crdResource {@link #FUNCTIONS_CRD} or {@link #TRIGGERS_CRD}
   */
  static CrdRules fromJar(KubernetesSerialization serialization, String crdResource) {
    return new CrdRules(schemaFromJar(serialization, crdResource));
  }

  /** A CRD's OpenAPI schema, from the copy of crds/ in the jar. */
  static JSONSchemaProps schemaFromJar(KubernetesSerialization serialization, String crdResource) {
    try (InputStream in = CrdRules.class.getResourceAsStream(crdResource)) {
      if (in == null) {
        throw new IllegalStateException("no " + crdResource + " in the jar");
      }
      CustomResourceDefinition crd = serialization.unmarshal(in, CustomResourceDefinition.class);
      return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each broken rule as "path: message"; empty when the manifest passes them all. */
  List<String> violations(Map<String, Object> manifest) {
    List<String> out = new ArrayList<>();
    check(schema, celValue(manifest), "", out);
    return out;
  }

  private void check(JSONSchemaProps node, Object value, String path, List<String> out) {
    if (value == null || node == null) {
      return;
    }
    if (node.getXKubernetesValidations() != null) {
      for (ValidationRule rule : node.getXKubernetesValidations()) {
        if (!holds(rule.getRule(), value)) {
          String message =
              rule.getMessage() != null ? rule.getMessage() : "must satisfy " + rule.getRule();
          out.add((path.isEmpty() ? "" : path.substring(1) + ": ") + message);
        }
      }
    }
    if (value instanceof Map<?, ?> map && node.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> property : node.getProperties().entrySet()) {
        check(property.getValue(), map.get(property.getKey()), path + "." + property.getKey(), out);
      }
    }
    if (value instanceof List<?> list && node.getItems() != null) {
      for (int i = 0; i < list.size(); i++) {
        check(node.getItems().getSchema(), list.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private boolean holds(String rule, Object self) {
    try {
      CelRuntime.Program program = programs.get(rule);
      if (program == null) {
        program = cel.createProgram(cel.compile(rule).getAst());
        programs.put(rule, program);
      }
      return Boolean.TRUE.equals(program.eval(Map.of("self", self)));
    } catch (CelValidationException | CelEvaluationException e) {
      // A value of the wrong type makes the rule fail to evaluate: the API server refuses it too.
      return false;
    }
  }

  /** JSON numbers as CEL wants them: integers as long, the rest as double. */
  @SuppressWarnings("unchecked")
  static Object celValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), celValue(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CrdRules::celValue).toList();
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    return value;
  }
}
