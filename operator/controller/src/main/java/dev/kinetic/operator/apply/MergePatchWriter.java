package dev.kinetic.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;

/**
 * Writer for API servers without server-side apply (the fabric8 mock server in tests). It merges
 * the desired object into the current one as a JSON merge patch would (RFC 7386: our fields are
 * set, absent ones such as replicas stay as they are) and writes the result with an update that
 * carries the resourceVersion it read, so a concurrent change fails with a conflict and the
 * reconcile is retried instead of overwriting it.
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
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> T update(T desired) {
    T current = client.resource(desired).get();
    if (current == null) {
      return create(desired);
    }
    KubernetesSerialization json = client.getKubernetesSerialization();
    JsonNode merged =
        merge(
            json.convertValue(current, JsonNode.class), json.convertValue(desired, JsonNode.class));
    T result = (T) json.convertValue(merged, desired.getClass());
    return client.resource(result).update();
  }

  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    ObjectNode result = ((ObjectNode) target).deepCopy();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = result.get(field.getKey());
      result.set(
          field.getKey(), existing == null ? field.getValue() : merge(existing, field.getValue()));
    }
    return result;
  }
}
