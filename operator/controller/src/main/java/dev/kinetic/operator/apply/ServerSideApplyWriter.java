package dev.kinetic.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Production writer: server-side apply with forced conflicts, so a field someone else changed
 * (drift) comes back to our value, while fields we never apply stay theirs.
 */
public final class ServerSideApplyWriter implements ResourceWriter {
  private final KubernetesClient client;

  public ServerSideApplyWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public <T extends HasMetadata> T create(T desired) {
    return client.resource(desired).create();
  }

  @Override
  public <T extends HasMetadata> T update(T desired) {
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }
}
