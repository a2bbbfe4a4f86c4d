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
 * <p>The activators' own Service ({@code service}) has the cluster form too: it routes by path, as
 * any other host does. The short {@code <function>.<namespace>} is not taken: it has the shape of
 * host names outside the cluster ({@code laptop.local}, {@code example.com}) that reach the
 * activator with a path naming the function.
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
    int dot = rest.indexOf('.');
    if (dot < 0 || rest.indexOf('.', dot + 1) >= 0) {
      return Optional.empty();
    }
    String name = rest.substring(0, dot);
    String namespace = rest.substring(dot + 1);
    if (!Target.isLabel(name) || !Target.isLabel(namespace)) {
      return Optional.empty();
    }
    boolean self = name.equals(service) && this.namespace.map(namespace::equals).orElse(true);
    return self ? Optional.empty() : Optional.of(new FunctionKey(namespace, name));
  }
}
