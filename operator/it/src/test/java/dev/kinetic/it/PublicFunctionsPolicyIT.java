package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.Function;
import dev.kinetic.api.Visibility;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/policies/public-functions.yaml, the admin guide's policy, on a real kube-apiserver: a
 * Function may ask to be Public only in a namespace labelled for it.
 */
class PublicFunctionsPolicyIT {
  private static final String INSIDE = "policy-inside";
  private static final String EXPOSED = "policy-exposed";
  private static KubernetesClient admin;
  private static List<HasMetadata> policy;

  @BeforeAll
  static void start() throws Exception {
    admin = SharedApiServer.admin();
    ApiServer.createNamespace(admin, INSIDE);
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(EXPOSED)
                .addToLabels("kinetic.dev/public-functions", "true")
                .endMetadata()
                .build())
        .serverSideApply();
    try (InputStream in =
        Files.newInputStream(
            Repository.root().resolve("examples/policies/public-functions.yaml"))) {
      policy = admin.load(in).items();
    }
    admin.resourceList(policy).serverSideApply();
  }

  /** The policy binds every namespace without the label: it must not outlive this class. */
  @AfterAll
  static void removePolicy() {
    admin.resourceList(policy).delete();
  }

  private static String function(String name, String visibility) {
    return "apiVersion: kinetic.dev/v1alpha1\nkind: Function\nmetadata:\n  name: "
        + name
        + "\nspec:\n  image: example.com/hello:1\n"
        + (visibility == null ? "" : "  visibility: " + visibility + "\n");
  }

  private static HttpResponse<String> createDryRun(String namespace, String yaml) throws Exception {
    return RawCreate.create(
        admin,
        namespace,
        "functions",
        "dryRun=All&fieldValidation=Strict",
        "application/yaml",
        yaml);
  }

  @Test
  void aPublicFunctionIsRefusedOutsideTheLabelledNamespaces() throws Exception {
    // The API server takes a moment to load a new policy.
    HttpResponse<String> refused =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> createDryRun(INSIDE, function("shop", "Public")), r -> r.code() != 201);

    assertThat(refused.code()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body())
        .contains("functions.kinetic.dev \\\"shop\\\" is forbidden: ValidatingAdmissionPolicy")
        .contains("a Function in this namespace cannot be Public")
        .contains("kinetic.dev/public-functions=true");
    assertThat(createDryRun(INSIDE, function("shop", null)).code()).isEqualTo(201);
    assertThat(createDryRun(INSIDE, function("shop", "ClusterLocal")).code()).isEqualTo(201);
    assertThat(createDryRun(EXPOSED, function("shop", "Public")).code()).isEqualTo(201);
  }

  @Test
  void aFunctionKeptInsideCannotBeEditedToPublic() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> createDryRun(INSIDE, function("probe", "Public")).code() == 403);
    Function inside =
        admin
            .resources(Function.class)
            .inNamespace(INSIDE)
            .resource(
                admin
                    .getKubernetesSerialization()
                    .unmarshal(function("orders", "ClusterLocal"), Function.class))
            .create();
    try {
      inside.getSpec().setVisibility(Visibility.PUBLIC);

      assertThatThrownBy(() -> admin.resource(inside).update())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("a Function in this namespace cannot be Public");
    } finally {
      admin.resource(inside).delete();
    }
  }
}
