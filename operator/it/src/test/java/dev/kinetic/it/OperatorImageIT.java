package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.images.ImageRoot;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's container image (operator/images), started from its own root filesystem as a
 * container runtime would start it — its entrypoint, its non-root user, its jlink'ed Java — with
 * the chart's RBAC, against a real kube-apiserver. It runs in its own JVM fork (see the pom): it is
 * the only operator there, so what it does is its own.
 */
class OperatorImageIT {
  private static final String OPERATOR_NS = "kinetic-system";
  private static final String NS = "it-image";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path temp;

  @Test
  void theOperatorImageTakesTheLeaseAndReconcilesAFunction() throws Exception {
    Assumptions.assumeTrue(
        ImageRoot.canChroot(),
        "running an image without a container engine needs root, chroot and a private mount"
            + " namespace (unshare); this machine refuses one of them (ImagesIT still checks the"
            + " image's contents)");
    KubernetesClient admin = SharedApiServer.admin();
    String kubeconfig = OperatorIdentity.create(admin, OPERATOR_NS);
    ApiServer.createNamespace(admin, NS);
    Path tarball = Repository.root().resolve("operator/images/target/images/kinetic-operator.tar");
    assertThat(tarball).as("built by operator/images in the package phase").exists();
    ImageRoot image = ImageRoot.unpack(tarball, temp);
    // Where a pod would mount its projected ServiceAccount token; here, the same credentials.
    Path config = Files.createDirectories(image.root().resolve("etc/kinetic"));
    Files.writeString(config.resolve("kubeconfig"), kubeconfig);
    int port = freePort();
    Path log = temp.resolve("operator.log");
    Process operator =
        image.start(
            Map.of(
                "KUBECONFIG",
                "/etc/kinetic/kubeconfig",
                "KINETIC_OPERATOR_NAMESPACE",
                OPERATOR_NS,
                "QUARKUS_HTTP_PORT",
                Integer.toString(port),
                // What the kubelet sets; the leader election's identity.
                "HOSTNAME",
                "kinetic-operator-image-0"),
            log);
    try {
      Lease lease =
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      admin
                          .leases()
                          .inNamespace(OPERATOR_NS)
                          .withName("kinetic-operator-leader")
                          .get(),
                  l -> l != null && l.getSpec().getHolderIdentity() != null);
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("kinetic-operator-image-0");

      Function created = admin.resource(function("hello")).create();

      Deployment deployment =
          await()
              .atMost(WAIT)
              .until(
                  () -> admin.apps().deployments().inNamespace(NS).withName("hello").get(),
                  Objects::nonNull);
      assertThat(deployment.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
      Condition ready =
          await()
              .atMost(WAIT)
              .until(
                  () -> readyCondition(admin), c -> c != null && "Deploying".equals(c.getReason()));
      assertThat(ready.getStatus()).isEqualTo("Unknown");
      HttpResponse<String> metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.body()).contains("kinetic_autoscaler_leader 1.0");
    } finally {
      boolean stopped = ImageRoot.stop(operator, Duration.ofSeconds(30));
      System.out.println("operator image log:\n" + Files.readString(log));
      assertThat(stopped).as("the operator stops on SIGTERM").isTrue();
    }
  }

  private static Condition readyCondition(KubernetesClient admin) {
    Function f = admin.resources(Function.class).inNamespace(NS).withName("hello").get();
    if (f == null || f.getStatus() == null || f.getStatus().getConditions() == null) {
      return null;
    }
    return f.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static Function function(String name) {
    Function function = new Function();
    function.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    FunctionSpec spec = new FunctionSpec();
    spec.setImage("example.com/hello:1");
    function.setSpec(spec);
    return function;
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
