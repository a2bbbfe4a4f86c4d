package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A writable folder of the pod's own, empty when the pod starts and gone with it, as a Pod's {@code
 * emptyDir}: the root filesystem is read-only, and an image that writes a cache or a socket under
 * its own path (not /tmp) needs one there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EmptyDirVolume {
  public static final String MEMORY = "Memory";

  @Size(max = 32)
  @JsonPropertyDescription(
      "How much it may hold, a quantity such as 256Mi. Default: as /tmp, the Function's"
          + " ephemeral-storage limit, or 64Mi without one. Over it, the kubelet evicts the pod.")
  private String sizeLimit;

  @Size(max = 16)
  @ValidationRule(
      value = "self == '' || self == 'Memory'",
      message = "volumes[].emptyDir.medium must be Memory or empty")
  @JsonPropertyDescription(
      "Memory: a tmpfs, whose files count against the memory limit; empty (the default): the"
          + " node's disk.")
  private String medium;

  public String getSizeLimit() {
    return sizeLimit;
  }

  public void setSizeLimit(String sizeLimit) {
    this.sizeLimit = sizeLimit;
  }

  public String getMedium() {
    return medium;
  }

  public void setMedium(String medium) {
    this.medium = medium;
  }
}
