package dev.kinetic.operator.resources;

import dev.kinetic.api.Function;

/**
 * Where a function answers inside the cluster: the activator's Service, under the function's path.
 * Not the function's own Service: that one has no endpoints at zero pods, so a call to it is
 * refused where the activator would have started a pod; with pods, a call to it would pass by the
 * activator's queue and hard limit, and the autoscaler, which counts what the activators see, would
 * scale the function to zero under that traffic. Pure.
 */
public final class FunctionUrls {
  /** The chart's name for the activator's Service, in the operator's namespace. */
  static final String ACTIVATOR_SERVICE = "kinetic-activator";

  private FunctionUrls() {}

  /**
   * @param activatorNamespace the namespace of the activator's Service (the platform's own)
   * @param clusterDomain the cluster's DNS domain
   */
  public static String of(Function function, String activatorNamespace, String clusterDomain) {
    return "http://"
        + ACTIVATOR_SERVICE
        + "."
        + activatorNamespace
        + ".svc."
        + clusterDomain
        + "/"
        + function.getMetadata().getNamespace()
        + "/"
        + function.getMetadata().getName()
        + "/";
  }
}
