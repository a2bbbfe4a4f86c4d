package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How Kinetic tells that a pod of the function is ready for requests. Without a path, a pod is
 * ready once it accepts TCP connections on its port, which any HTTP server does; the Kinetic
 * runtime opens its port only once the function is loaded, so for it that check is exact. With a
 * path, a GET of it must answer 200 to 399, for a server that listens before it can serve.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeSpec {
  public static final int MAX_PATH_LENGTH = 256;

  @Size(min = 1, max = MAX_PATH_LENGTH)
  // A rule rather than a pattern: the API server words a pattern as the regex itself.
  @ValidationRule(
      value = "self.matches('^/[!-~]*$')",
      message =
          "probe.path must start with / and hold only visible ASCII characters (no spaces),"
              + " e.g. /healthz")
  @JsonPropertyDescription(
      "Path to GET on the function's port: 200-399 is ready. It must start with / and hold no"
          + " spaces. Without it, a pod is ready once it accepts TCP connections on its port.")
  private String path;

  public ProbeSpec() {}

  public ProbeSpec(String path) {
    this.path = path;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
