package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The Secret a volume holds, named as a Pod's {@code secret} volume names it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretVolume extends KeyedVolumeSource {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the Secret, in the Function's namespace.")
  private String secretName;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }
}
