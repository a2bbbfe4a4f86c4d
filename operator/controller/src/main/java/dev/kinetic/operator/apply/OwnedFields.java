package dev.kinetic.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether an object already has every field we want, ignoring fields we do not set.
 *
 * <p>The API server adds defaults (imagePullPolicy, clusterIP, terminationMessagePath, ...) and
 * other controllers own fields (the autoscaler owns replicas). Comparing whole objects would see
 * those as drift and update forever; comparing only what we set does not.
 */
public final class OwnedFields {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Fields we own whole: a label, toleration or priority we no longer want must go, and a subset
   * would keep it. The API server adds nothing to them in a Deployment's pod template.
   */
  private static final Set<String> WHOLE =
      Set.of("nodeSelector", "tolerations", "priorityClassName");

  /** Keys whose values are resource quantities, which the server rewrites in canonical form. */
  private static final Set<String> QUANTITY_PARENTS = Set.of("limits", "requests");

  private OwnedFields() {}

  public static boolean matches(Object desired, Object actual) {
    return subset(MAPPER.valueToTree(desired), MAPPER.valueToTree(actual), "");
  }

  static boolean subset(JsonNode desired, JsonNode actual, String key) {
    if (desired == null || desired.isNull() || isEmptyContainer(desired)) {
      return true;
    }
    if (actual == null || actual.isNull()) {
      return false;
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      for (String whole : WHOLE) {
        if (!desired.has(whole) && actual.has(whole) && !isEmptyContainer(actual.get(whole))) {
          return false;
        }
      }
      boolean quantities = QUANTITY_PARENTS.contains(key);
      Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode other = actual.get(field.getKey());
        boolean same =
            quantities
                ? sameQuantity(field.getValue(), other)
                : WHOLE.contains(field.getKey())
                    ? subset(field.getValue(), other, field.getKey())
                        && subset(other, field.getValue(), field.getKey())
                    : subset(field.getValue(), other, field.getKey());
        if (!same) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      // Order matters in every list we set (containers, env, ports), so compare index by index.
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!subset(desired.get(i), actual.get(i), key)) {
          return false;
        }
      }
      return true;
    }
    if ("sizeLimit".equals(key)) {
      return sameQuantity(desired, actual);
    }
    return desired.equals(actual) || desired.asText().equals(actual.asText());
  }

  private static boolean isEmptyContainer(JsonNode node) {
    return (node.isArray() || node.isObject()) && node.isEmpty();
  }

  private static boolean sameQuantity(JsonNode desired, JsonNode actual) {
    if (actual == null || actual.isNull()) {
      return false;
    }
    try {
      return Quantity.getAmountInBytes(new Quantity(desired.asText()))
              .compareTo(Quantity.getAmountInBytes(new Quantity(actual.asText())))
          == 0;
    } catch (IllegalArgumentException | ArithmeticException e) {
      return desired.asText().equals(actual.asText());
    }
  }
}
