package dev.kinetic.operator.autoscale;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/** Test data: a slice of the activators' Service listing one ready activator on this machine. */
public final class ActivatorSlice {
  private ActivatorSlice() {}

  /** Named {@code name} in {@code namespace}, the activator's admin port at 127.0.0.1. */
  public static EndpointSlice listing(String name, String namespace, int adminPort) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels(EndpointSliceActivators.SERVICE_NAME_LABEL, "kinetic-activator")
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint()
        .withAddresses("127.0.0.1")
        .withNewConditions()
        .withReady(true)
        .endConditions()
        .endEndpoint()
        .addNewPort()
        .withName("admin")
        .withPort(adminPort)
        .endPort()
        .build();
  }
}
