package dev.kinetic.operator.resources;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Metadata for an object the Function owns, so deleting the Function deletes it. */
final class Owners {
  private Owners() {}

  static ObjectMeta ownedMetadata(Function function) {
    return new ObjectMetaBuilder()
        .withName(function.getMetadata().getName())
        .withNamespace(function.getMetadata().getNamespace())
        .withLabels(Labels.of(function))
        .withOwnerReferences(controllerReference(function))
        .build();
  }

  static OwnerReference controllerReference(Function function) {
    return new OwnerReferenceBuilder()
        .withApiVersion(function.getApiVersion())
        .withKind(function.getKind())
        .withName(function.getMetadata().getName())
        .withUid(function.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
