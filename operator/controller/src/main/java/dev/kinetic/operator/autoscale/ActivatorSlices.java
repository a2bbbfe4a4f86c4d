package dev.kinetic.operator.autoscale;

import dev.kinetic.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The activators' Service's EndpointSlices, watched once for the two that ask every activator: the
 * autoscaler ({@code /stats}) and the route probe ({@code /routes}). Started on first use, so a
 * process that asks neither watches nothing.
 */
@ApplicationScoped
public class ActivatorSlices {
  private final KubernetesClient client;
  private final OperatorSettings operator;
  private final AutoscalerSettings settings;
  private SharedIndexInformer<EndpointSlice> slices;

  public ActivatorSlices(
      KubernetesClient client, OperatorSettings operator, AutoscalerSettings settings) {
    this.client = client;
    this.operator = operator;
    this.settings = settings;
  }

  /** The ready activators; the first call waits for the watch's first list. */
  public synchronized EndpointSliceActivators activators() {
    if (slices == null) {
      slices =
          client
              .discovery()
              .v1()
              .endpointSlices()
              .inNamespace(operator.namespace())
              .withLabel(EndpointSliceActivators.SERVICE_NAME_LABEL, settings.activatorService())
              .runnableInformer(0);
      slices.run();
    }
    return new EndpointSliceActivators(slices.getStore(), settings.activatorStatsPort());
  }

  /** {@code <namespace>/<name>} of the activators' Service, as messages name it. */
  public String service() {
    return operator.namespace() + "/" + settings.activatorService();
  }

  @PreDestroy
  synchronized void close() {
    if (slices != null) {
      slices.close();
    }
  }
}
