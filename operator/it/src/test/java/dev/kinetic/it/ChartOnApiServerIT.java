package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rendered Helm chart, every object, accepted by the real API server (server-side apply, dry
 * run): schemas, field names and enum values a template test cannot check.
 */
class ChartOnApiServerIT {
  @Test
  void everyRenderedObjectIsAcceptedByTheApiServer() {
    KubernetesClient admin = SharedApiServer.admin();
    ApiServer.createNamespace(admin, "kinetic-chart");
    ApiServer.createNamespace(admin, "team-a");
    List<String> accepted = new ArrayList<>();
    for (HasMetadata object :
        RenderedChart.objects(
            admin,
            "kinetic-chart",
            v ->
                v.set("limits.maxConcurrency", 100)
                    .set("networkPolicy.functionNamespaces[0]", "team-a")
                    // Core kinds only: the Gateway API and Prometheus Operator CRDs are not here.
                    .set("activator.ingress.enabled", true)
                    .set("activator.ingress.tls[0].secretName", "fn-tls")
                    // Placement passed through as it is: the API server checks its fields.
                    .set("image.pullSecrets[0].name", "mirror")
                    .set("operator.nodeSelector.kinetic\\.dev/pool", "system")
                    .set("operator.priorityClassName", "system-cluster-critical")
                    .set("activator.tolerations[0].key", "dedicated")
                    .set("activator.tolerations[0].operator", "Exists")
                    .set("activator.tolerations[0].effect", "NoSchedule")
                    .set(
                        "dispatcher.affinity.nodeAffinity"
                            + ".requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].key",
                        "kinetic.dev/pool")
                    .set(
                        "dispatcher.affinity.nodeAffinity"
                            + ".requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].operator",
                        "Exists"))) {
      admin.resource(object).dryRun().serverSideApply();
      accepted.add(RenderedChart.name(object));
    }
    System.out.println("accepted by the API server (dry run): " + accepted);
    assertThat(accepted)
        .contains(
            "Deployment/kinetic-operator",
            "Deployment/kinetic-activator",
            "ClusterRole/kinetic-operator",
            "ClusterRole/kinetic-activator",
            "Role/kinetic-operator",
            "PodDisruptionBudget/kinetic-activator",
            "Deployment/kinetic-dispatcher",
            "ClusterRole/kinetic-dispatcher",
            "Role/kinetic-dispatcher",
            "PodDisruptionBudget/kinetic-dispatcher",
            "NetworkPolicy/kinetic-functions-from-activator",
            "ConfigMap/kinetic-platform-limits",
            "Service/kinetic-operator",
            "Ingress/kinetic-activator");
  }
}
