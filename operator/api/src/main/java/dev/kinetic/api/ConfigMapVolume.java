package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The ConfigMap a volume holds, named as a Pod's {@code configMap} volume names it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapVolume extends KeyedVolumeSource {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the ConfigMap, in the Function's namespace.")
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
