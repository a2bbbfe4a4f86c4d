package dev.kinetic.operator.status;

import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.operator.autoscale.DeploymentScaling;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Computes a Function's status from what was observed. Pure apart from the clock, so each situation
 * is a row in a table test.
 */
public final class StatusCalculator {
  private final Clock clock;

  public StatusCalculator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param specProblem why the spec could not be applied (limits exceeded or unreadable), if so
   * @param servicesExist whether both of the function's Services exist: its address and the one
   *     through which the activators find its pods
   * @param routes whether every activator routes this generation (RoutesReady): asked only when all
   *     else is ready, since asking costs a request to each activator; when it is not asked the
   *     condition stays as it was
   * @param url where the function answers, reported once its Services exist
   */
  public FunctionStatus compute(
      Function function,
      Optional<Verdict> specProblem,
      Deployment deployment,
      boolean servicesExist,
      Supplier<Verdict> routes,
      ObservedPods pods,
      String url) {
    long generation = Optional.ofNullable(function.getMetadata().getGeneration()).orElse(0L);
    List<Condition> previous =
        function.getStatus() == null || function.getStatus().getConditions() == null
            ? List.of()
            : function.getStatus().getConditions();

    // A spec refused before any Deployment exists: none is being created, whatever the Deployment
    // alone would say ("the Deployment is being created" sat beside Ready=False Rejected).
    Verdict deploymentReady =
        deployment == null && specProblem.isPresent()
            ? Verdict.failed(
                specProblem.get().reason(),
                "no Deployment until the spec is fixed: " + specProblem.get().message())
            : DeploymentHealth.diagnose(deployment, pods);
    Verdict ready;
    Verdict routed = null;
    if (specProblem.isPresent()) {
      ready = specProblem.get();
    } else if (!deploymentReady.isTrue()) {
      ready = deploymentReady;
    } else if (!servicesExist) {
      ready = Verdict.waiting("CreatingService", "the Services are being created");
    } else {
      routed = routes.get();
      // Pods answer, but a request would be 404 at an activator that does not know the Function.
      ready = routed.isTrue() ? deploymentReady : routed;
    }

    List<Condition> conditions = new ArrayList<>(previous);
    conditions =
        Conditions.set(conditions, deploymentReady, Conditions.DEPLOYMENT_READY, generation, clock);
    if (routed != null) {
      conditions = Conditions.set(conditions, routed, Conditions.ROUTES_READY, generation, clock);
    }
    conditions = Conditions.set(conditions, ready, Conditions.READY, generation, clock);

    FunctionStatus status = new FunctionStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions);
    status.setUrl(servicesExist ? url : null);
    if (deployment != null && deployment.getStatus() != null) {
      status.setReplicas(orZero(deployment.getStatus().getReplicas()));
      status.setReadyReplicas(orZero(deployment.getStatus().getReadyReplicas()));
    } else {
      status.setReplicas(0);
      status.setReadyReplicas(0);
    }
    if (deployment != null) {
      status.setDesiredReplicas(
          deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
              ? null
              : deployment.getSpec().getReplicas());
      // The autoscaler writes its reason on the Deployment; the status is written here only.
      Map<String, String> annotations = deployment.getMetadata().getAnnotations();
      if (annotations != null) {
        status.setLastScaleReason(annotations.get(DeploymentScaling.REASON_ANNOTATION));
        status.setLastScaleTime(annotations.get(DeploymentScaling.TIME_ANNOTATION));
      }
    }
    return status;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
