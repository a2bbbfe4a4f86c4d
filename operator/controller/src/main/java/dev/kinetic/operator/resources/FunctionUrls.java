package dev.kinetic.operator.resources;

import dev.kinetic.api.Function;

/**
 * Where a function answers inside the cluster: its own Service's name, an alias of the activators'
 * Service ({@link FunctionServices#address}), so a call goes through the activator's queue, hard
 * limit and scaling. Pure.
 */
public final class FunctionUrls {
  /** The chart's name for the activators' Service, in the operator's namespace. */
  static final String ACTIVATOR_SERVICE = "kinetic-activator";

  private FunctionUrls() {}

  /**
   * @param clusterDomain the cluster's DNS domain
   */
  public static String of(Function function, String clusterDomain) {
    return "http://"
        + function.getMetadata().getName()
        + "."
        + function.getMetadata().getNamespace()
        + ".svc."
        + clusterDomain;
  }

  /**
   * The activators' Service's name in the cluster's DNS.
   *
   * @param activatorNamespace the namespace of the activators' Service (the platform's own)
   * @param clusterDomain the cluster's DNS domain
   */
  public static String activatorHost(String activatorNamespace, String clusterDomain) {
    return ACTIVATOR_SERVICE + "." + activatorNamespace + ".svc." + clusterDomain;
  }
}
