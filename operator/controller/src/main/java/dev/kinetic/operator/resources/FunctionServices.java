package dev.kinetic.operator.resources;

import dev.kinetic.api.Function;
import dev.kinetic.api.PodsService;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * A Function's two Services. Pure.
 *
 * <p>The one of the function's own name is its address in the cluster ({@code
 * <name>.<namespace>.svc}): an ExternalName alias of the activators' Service. The cluster's DNS
 * answers for it with the activators' name, and the Host the client sends names the function, so a
 * call to it reaches the activator, which queues it while the function has no pod, holds the pods
 * to their hard limit, and counts it for the autoscaler. If that name selected the pods, a call to
 * it would be refused at zero pods and, with pods, pass by all three: the autoscaler would scale
 * the function to zero under that traffic.
 *
 * <p>The pods' Service ({@link PodsService}) selects the pods. Its EndpointSlices are how the
 * activators find them; nothing else should call it.
 */
public final class FunctionServices {
  public static final int SERVICE_PORT = 80;

  private FunctionServices() {}

  /**
   * The function's address: an alias of the activators' Service.
   *
   * @param activatorNamespace the namespace of the activators' Service (the platform's own)
   * @param clusterDomain the cluster's DNS domain
   */
  public static Service address(
      Function function, String activatorNamespace, String clusterDomain) {
    return new ServiceBuilder()
        .withMetadata(Owners.ownedMetadata(function))
        .withNewSpec()
        .withType("ExternalName")
        .withExternalName(FunctionUrls.activatorHost(activatorNamespace, clusterDomain))
        // Only a statement of the port callers use: an alias forwards nothing itself.
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(SERVICE_PORT)
        .endPort()
        .endSpec()
        .build();
  }

  /** The Service that selects the function's pods, for the activators. */
  public static Service pods(Function function) {
    ObjectMeta metadata = Owners.ownedMetadata(function);
    metadata.setName(PodsService.name(function.getMetadata().getName()));
    return new ServiceBuilder()
        .withMetadata(metadata)
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(Labels.selector(function))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(SERVICE_PORT)
        .withTargetPort(new IntOrString(FunctionDeployments.PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
