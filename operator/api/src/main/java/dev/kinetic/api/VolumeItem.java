package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One key of a Secret or ConfigMap, and the file it becomes under the volume's mountPath. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!self.path.startsWith('/') && !self.path.startsWith('../') && !self.path.contains('/../')"
            + " && !self.path.endsWith('/..') && self.path != '..'",
    message = "volumes[].items[].path must be relative and must not hold a .. segment")
public class VolumeItem {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The key.")
  private String key;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The file's path under the volume's mountPath, e.g. tls/cert.pem.")
  private String path;

  public VolumeItem() {}

  public VolumeItem(String key, String path) {
    this.key = key;
    this.path = path;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
