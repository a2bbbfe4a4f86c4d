package dev.kinetic.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Writes the objects a Function owns. Two ways, chosen by {@code
 * kinetic.operator.server-side-apply}.
 */
public interface ResourceWriter {
  /** The field manager the operator writes as; the autoscaler uses its own. */
  String FIELD_MANAGER = "kinetic-operator";

  /**
   * Creates an object that does not exist yet. A plain create, not an apply, on purpose: fields
   * written by a create (such as a Deployment's initial replicas) are not part of the operator's
   * apply set, so later applies that omit them leave them to whoever owns them next.
   */
  <T extends HasMetadata> T create(T desired);

  /** Brings the fields we own to the desired values, leaving every other field alone. */
  <T extends HasMetadata> T update(T desired);
}
