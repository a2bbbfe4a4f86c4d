package dev.kinetic.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writer for API servers without server-side apply (the fabric8 mock server in tests). A JSON merge
 * patch of the desired object sets the fields we own and leaves absent ones (replicas) as they are,
 * which is the part of apply's behaviour the reconciler relies on.
 */
public final class MergePatchWriter implements ResourceWriter {
  private final KubernetesClient client;

  public MergePatchWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public <T extends HasMetadata> T create(T desired) {
    return client.resource(desired).create();
  }

  @Override
  public <T extends HasMetadata> T update(T desired) {
    return client.resource(desired).patch(PatchContext.of(PatchType.JSON_MERGE), desired);
  }
}
