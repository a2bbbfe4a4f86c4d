package dev.kinetic.it;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * helm/kinetic rendered by helm-java as {@code helm install} would render it (release "kinetic",
 * CRDs left to the caller), as objects to apply: namespaced ones in the release namespace, which
 * helm sets at install time and a rendered template may leave out.
 */
final class RenderedChart {
  private static final Set<String> CLUSTER_SCOPED =
      Set.of("ClusterRole", "ClusterRoleBinding", "Namespace", "CustomResourceDefinition");

  private RenderedChart() {}

  static List<HasMetadata> objects(
      KubernetesClient client, String namespace, UnaryOperator<TemplateCommand> values) {
    String rendered =
        values
            .apply(
                new Helm(Repository.root().resolve("helm/kinetic"))
                    .template()
                    .withName("kinetic")
                    .withNamespace(namespace)
                    .withKubeVersion(ApiServer.K8S_VERSION)
                    .skipCrds())
            .call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (!doc.contains("kind:")) {
        continue;
      }
      HasMetadata object = client.getKubernetesSerialization().unmarshal(doc, HasMetadata.class);
      if (object.getMetadata().getNamespace() == null
          && !CLUSTER_SCOPED.contains(object.getKind())) {
        object.getMetadata().setNamespace(namespace);
      }
      objects.add(object);
    }
    return objects;
  }

  static String name(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }
}
