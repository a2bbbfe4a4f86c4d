package dev.kinetic.operator.resources;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The ClusterIP Service in front of a function's pods. Its EndpointSlices are how the activators
 * find the pods and learn which are ready; callers go through the activator ({@link FunctionUrls}).
 * Pure.
 */
public final class FunctionServices {
  public static final int SERVICE_PORT = 80;

  private FunctionServices() {}

  public static Service desired(Function function) {
    return new ServiceBuilder()
        .withMetadata(Owners.ownedMetadata(function))
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
