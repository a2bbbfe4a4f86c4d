package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What a Secret volume and a ConfigMap volume have in common: which keys, and if it may miss. */
public abstract class KeyedVolumeSource {
  @Size(max = 64)
  @JsonPropertyDescription(
      "Only these keys, each at its own path; without it every key is a file named after it.")
  private List<VolumeItem> items;

  @JsonPropertyDescription(
      "When true, a missing object (or key) gives an empty volume instead of a pod that cannot"
          + " start. Default false.")
  private Boolean optional;

  public List<VolumeItem> getItems() {
    return items;
  }

  public void setItems(List<VolumeItem> items) {
    this.items = items;
  }

  public Boolean getOptional() {
    return optional;
  }

  public void setOptional(Boolean optional) {
    this.optional = optional;
  }
}
