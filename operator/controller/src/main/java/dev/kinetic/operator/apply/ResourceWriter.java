package dev.kinetic.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Writes the objects a Function owns. Two ways, chosen by {@code
 * kinetic.operator.server-side-apply}.
 */
public interface ResourceWriter {
  /** The field manager the operator writes as; the autoscaler uses its own. */
  String FIELD_MANAGER = "kinetic-operator";

  /** Creates an object that does not exist yet; fails with 409 if it does. */
  <T extends HasMetadata> T create(T desired);

  /**
   * Brings the fields we own to the desired values, leaving every other field alone. {@code
   * desired} carries the resourceVersion the decision was made on: if the object changed since, the
   * write fails with 409 and the reconcile is retried on fresh state instead of overwriting it.
   */
  <T extends HasMetadata> T update(T desired);
}
