package dev.kinetic.operator.autoscale;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.Function;
import dev.kinetic.autoscaler.Decision;
import dev.kinetic.autoscaler.ScaleBackend;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * Applies the autoscaler's decisions to Deployments: {@code spec.replicas} through the scale
 * subresource, under its own field manager (the reconciler never applies replicas after creation,
 * so the two never fight); the reason on the Deployment, where the reconciler reads it into the
 * Function's status; and an Event on the Function.
 */
public final class DeploymentScaling implements ScaleBackend<ResourceID> {
  public static final String FIELD_MANAGER = "kinetic-autoscaler";
  public static final String REASON_ANNOTATION = "autoscaling.kinetic.dev/last-scale-reason";
  public static final String TIME_ANNOTATION = "autoscaling.kinetic.dev/last-scale-time";

  private static final Logger LOG = Logger.getLogger(DeploymentScaling.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PatchContext MERGE =
      new PatchContext.Builder()
          .withPatchType(PatchType.JSON_MERGE)
          .withFieldManager(FIELD_MANAGER)
          .build();

  private final KubernetesClient client;
  private final Store<Deployment> deployments;
  private final Store<Function> functions;
  private final Clock clock;
  private final MeterRegistry meters;

  public DeploymentScaling(
      KubernetesClient client,
      Store<Deployment> deployments,
      Store<Function> functions,
      Clock clock,
      MeterRegistry meters) {
    this.meters = meters;
    this.client = client;
    this.deployments = deployments;
    this.functions = functions;
    this.clock = clock;
  }

  @Override
  public OptionalInt currentReplicas(ResourceID function) {
    Deployment d = deployments.getByKey(key(function));
    if (d == null || d.getMetadata().getDeletionTimestamp() != null || d.getSpec() == null) {
      return OptionalInt.empty();
    }
    // An absent replicas field means 1 to the API server.
    return OptionalInt.of(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas());
  }

  /** Failures are logged, not thrown: the next decision sees the old scale and tries again. */
  @Override
  public void scale(ResourceID function, int from, Decision decision) {
    String namespace = function.getNamespace().orElseThrow();
    String name = function.getName();
    Instant now = clock.instant();
    try {
      var deployment = client.apps().deployments().inNamespace(namespace).withName(name);
      deployment
          .subresource("scale")
          .patch(MERGE, json(Map.of("spec", Map.of("replicas", decision.replicas()))));
      deployment.patch(
          MERGE,
          json(
              Map.of(
                  "metadata",
                  Map.of(
                      "annotations",
                      Map.of(
                          REASON_ANNOTATION,
                          decision.reason(),
                          TIME_ANNOTATION,
                          now.toString())))));
    } catch (KubernetesClientException e) {
      meters.counter("kinetic.autoscaler.scale.failures").increment();
      LOG.warnf(
          "cannot scale %s/%s from %d to %d (%s): %s",
          namespace, name, from, decision.replicas(), decision.reason(), e.getMessage());
      return;
    }
    LOG.infof(
        "%s/%s scaled from %d to %d: %s",
        namespace, name, from, decision.replicas(), decision.reason());
    meters
        .counter(
            "kinetic.autoscaler.scale.changes",
            "direction",
            decision.replicas() > from ? "up" : "down")
        .increment();
    Function owner = functions.getByKey(key(function));
    if (owner == null) {
      return;
    }
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(ScaleEvents.scaled(owner, from, decision, now))
          .create();
    } catch (KubernetesClientException e) {
      // The scale happened; a lost Event only loses its report, which the status still carries.
      LOG.warnf("cannot record the scale event of %s/%s: %s", namespace, name, e.getMessage());
    }
  }

  private static String key(ResourceID id) {
    return Cache.namespaceKeyFunc(id.getNamespace().orElse(null), id.getName());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
