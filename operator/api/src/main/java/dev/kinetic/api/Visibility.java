package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who may call a function: Knative's {@code networking.knative.dev/visibility}. The activators tell
 * the two apart by the port a request came in on, not by anything the request says: the chart
 * exposes only their {@code public} port outside the cluster (its Ingress and HTTPRoute), while a
 * function's Service, the dispatcher and every client in the cluster reach their {@code http} port.
 */
public enum Visibility {
  /**
   * From anywhere the activators are exposed, and from inside the cluster. The default, unless the
   * admin's {@code functionVisibility} says otherwise.
   */
  @JsonProperty("Public")
  PUBLIC,
  /**
   * Only from inside the cluster: on the activators' public port the function does not exist (404,
   * as for a name no Function has), whichever Host or path names it.
   */
  @JsonProperty("ClusterLocal")
  CLUSTER_LOCAL;

  /** The Function's own, else the admin's default. */
  public static Visibility of(FunctionSpec spec, PlatformLimits limits) {
    return spec.getVisibility() != null ? spec.getVisibility() : limits.visibility();
  }
}
