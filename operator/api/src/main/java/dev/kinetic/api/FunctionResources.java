package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Function's CPU and memory requests and limits, as Kubernetes quantities. The values are kept as
 * written (text or a number) rather than as fabric8's {@link Quantity}, which refuses a bad one
 * while the object is read: one Function with {@code memory: lots}, admitted by the API server (a
 * CRD cannot check quantities within its CEL cost limit), then stopped every informer on Functions
 * — the operator's, the autoscaler's and the activators' — for all Functions. Read as written, a
 * bad value is reported by the operator ({@code InvalidSpec}, naming the field and the value) for
 * that one Function only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FunctionResources {
  @Size(max = 16)
  @JsonPropertyDescription("Most a pod may use, e.g. {memory: 256Mi, cpu: \"1\"}.")
  private Map<String, IntOrString> limits;

  @Size(max = 16)
  @JsonPropertyDescription("What a pod is scheduled by, e.g. {cpu: 100m}.")
  private Map<String, IntOrString> requests;

  public FunctionResources() {}

  public FunctionResources(Map<String, IntOrString> limits, Map<String, IntOrString> requests) {
    this.limits = limits;
    this.requests = requests;
  }

  /** Limits only, as written: {@code limits("memory", "256Mi")}. */
  public static FunctionResources limits(String name, String quantity) {
    return new FunctionResources(
        new LinkedHashMap<>(Map.of(name, new IntOrString(quantity))), null);
  }

  public Map<String, IntOrString> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, IntOrString> limits) {
    this.limits = limits;
  }

  public Map<String, IntOrString> getRequests() {
    return requests;
  }

  public void setRequests(Map<String, IntOrString> requests) {
    this.requests = requests;
  }

  /** A limit as written, or null. */
  public String limit(String name) {
    return text(limits == null ? null : limits.get(name));
  }

  /**
   * As Kubernetes' type, every value checked.
   *
   * @throws IllegalArgumentException naming the first field that is not a quantity
   */
  public ResourceRequirements toRequirements() {
    return new ResourceRequirementsBuilder()
        .withLimits(quantities("spec.resources.limits", limits))
        .withRequests(quantities("spec.resources.requests", requests))
        .build();
  }

  /**
   * A quantity of the field, checked.
   *
   * @throws IllegalArgumentException naming the field and the value when it is not a quantity
   */
  static Quantity quantity(String field, String text) {
    Quantity quantity;
    BigDecimal amount;
    try {
      quantity = new Quantity(text);
      amount = quantity.getNumericalAmount();
    } catch (IllegalArgumentException | ArithmeticException notAQuantity) {
      throw new IllegalArgumentException(
          field
              + ": '"
              + text
              + "' is not a quantity; write a number or one such as 256Mi, 1Gi or 500m");
    }
    if (amount.signum() < 0) {
      throw new IllegalArgumentException(field + ": '" + text + "' must not be negative");
    }
    return quantity;
  }

  private static Map<String, Quantity> quantities(String field, Map<String, IntOrString> values) {
    if (values == null) {
      return null;
    }
    Map<String, Quantity> out = new LinkedHashMap<>();
    values.forEach((name, value) -> out.put(name, quantity(field + "." + name, text(value))));
    return out;
  }

  /** As written: text, or a number of any size (a value too big for an int is kept as a long). */
  private static String text(IntOrString value) {
    return value == null || value.getValue() == null ? null : String.valueOf(value.getValue());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FunctionResources other
        && Objects.equals(limits, other.limits)
        && Objects.equals(requests, other.requests);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limits, requests);
  }
}
