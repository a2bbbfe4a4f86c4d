package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;
import java.util.Map;
import java.util.Optional;

/**
 * The Host names that choose a function by themselves, without its path.
 *
 * <ul>
 *   <li>{@code <function>.<namespace>.<domain>}: the platform's own domain, for an Ingress or
 *       Gateway with a wildcard name.
 *   <li>{@code <function>.<namespace>.svc} and {@code <function>.<namespace>.svc.<clusterDomain>}:
 *       the function's Service inside the cluster. The operator makes that Service an alias of the
 *       activators' (ExternalName), so a client that calls it arrives here with that Host.
 * </ul>
 *
 * <p>The short {@code <function>.<namespace>}, which a pod's DNS search list resolves to the same
 * Service, names a function too, but only one that exists ({@link #shortForm}): the same shape is
 * that of host names outside the cluster ({@code laptop.local}, {@code example.com}) that reach the
 * activator with a path naming the function, and those keep routing by path.
 *
 * <p>The activators' own Service ({@code service}) has the cluster forms too: it routes by path, as
 * any other host does.
 *
 * @param domain suffix of the platform's host names
 * @param clusterDomain the cluster's DNS domain
 * @param service the name of the activators' own Service
 * @param namespace the activators' namespace; when unknown, the Service's name routes by path in
 *     any namespace
 */
record Hosts(String domain, String clusterDomain, String service, Optional<String> namespace) {
  static final Hosts DEFAULTS =
      new Hosts("fn.local", "cluster.local", "kinetic-activator", Optional.empty());

  static Hosts fromEnv(Map<String, String> env) {
    String namespace = env.get("KINETIC_ACTIVATOR_NAMESPACE");
    return new Hosts(
        env.getOrDefault("KINETIC_ACTIVATOR_DOMAIN", DEFAULTS.domain()),
        env.getOrDefault("KINETIC_ACTIVATOR_CLUSTER_DOMAIN", DEFAULTS.clusterDomain()),
        env.getOrDefault("KINETIC_ACTIVATOR_SERVICE", DEFAULTS.service()),
        namespace == null || namespace.isBlank() ? Optional.empty() : Optional.of(namespace));
  }

  /**
   * The function a Service host name inside the cluster names, if {@code host} (lower case, without
   * port) is one and not the activators' own.
   */
  Optional<FunctionKey> inCluster(String host) {
    String rest;
    if (host.endsWith(".svc")) {
      rest = host.substring(0, host.length() - ".svc".length());
    } else if (host.endsWith(".svc." + clusterDomain)) {
      rest = host.substring(0, host.length() - ".svc.".length() - clusterDomain.length());
    } else {
      return Optional.empty();
    }
    return shortForm(rest);
  }

  /**
   * Whether {@code host} (lower case, without port) is the activators' own Service's short name,
   * {@code <service>.<namespace>}, which routes by path whatever a function claims.
   */
  boolean isActivators(String host) {
    int dot = host.indexOf('.');
    return dot > 0
        && host.indexOf('.', dot + 1) < 0
        && host.substring(0, dot).equals(service)
        && namespace.map(host.substring(dot + 1)::equals).orElse(true);
  }

  /**
   * The function {@code <function>.<namespace>} would name, if {@code host} (lower case, without
   * port) has that shape and is not the activators' own Service. Whether it names one is for the
   * caller to decide, by whether that function exists.
   */
  Optional<FunctionKey> shortForm(String host) {
    int dot = host.indexOf('.');
    if (dot < 0 || host.indexOf('.', dot + 1) >= 0) {
      return Optional.empty();
    }
    String name = host.substring(0, dot);
    String namespace = host.substring(dot + 1);
    if (!Target.isLabel(name) || !Target.isLabel(namespace)) {
      return Optional.empty();
    }
    boolean self = name.equals(service) && this.namespace.map(namespace::equals).orElse(true);
    return self ? Optional.empty() : Optional.of(new FunctionKey(namespace, name));
  }
}
