package dev.kinetic.operator.resources;

import dev.kinetic.api.Function;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels Kinetic puts on what it creates; the selector uses only the function label. */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGER = "kinetic";

  private Labels() {}

  /** Selects the pods of one function. Immutable on a Deployment, so never add to it. */
  public static Map<String, String> selector(Function function) {
    return Map.of(Function.FUNCTION_LABEL, function.getMetadata().getName());
  }

  public static Map<String, String> of(Function function) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Function.FUNCTION_LABEL, function.getMetadata().getName());
    labels.put(NAME, function.getMetadata().getName());
    labels.put(COMPONENT, "function");
    labels.put(MANAGED_BY, MANAGER);
    return labels;
  }
}
