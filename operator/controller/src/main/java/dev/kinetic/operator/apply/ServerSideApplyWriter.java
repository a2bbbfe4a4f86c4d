package dev.kinetic.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Production writer: server-side apply with forced conflicts, so a field someone else changed
 * (drift) comes back to our value, while fields we never apply stay theirs. Optimistic locking
 * still holds: an applied object that carries a resourceVersion is refused with 409 when stale.
 */
public final class ServerSideApplyWriter implements ResourceWriter {
  private final KubernetesClient client;

  public ServerSideApplyWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public <T extends HasMetadata> T create(T desired) {
    // An apply, so every field is owned by the Apply manager alone from the start and a field later
    // dropped from the spec (an env var, a label) is removed by the next apply. With a plain create
    // the Update entry would keep co-owning it and the server would keep it.
    return client.resource(desired).fieldManager(FIELD_MANAGER).serverSideApply();
  }

  @Override
  public <T extends HasMetadata> T update(T desired) {
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }
}
