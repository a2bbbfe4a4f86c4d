package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The whole platform on a real (single-node) cluster: k3s in a container, the images from
 * operator/images imported into its containerd, the Helm chart installed, examples/hello applied,
 * called through the activator from zero pods, and watched back to zero after its idle timeout.
 *
 * <p>Needs a Docker engine, which these build machines do not have: there it skips (and says so).
 * What it covers is covered without Docker by RealNodeIT, on a single-node cluster built from
 * source (the chart installed with helm, the images run by the kubelet, called from zero pods and
 * back to zero), and piecewise: the chart's objects by ChartTest and ChartOnApiServerIT, the
 * operator by OperatorIT, the images by ImagesIT, cold start and scale to zero by LocalModeIT.
 */
class K3sEndToEndIT {
  private static final String K3S_IMAGE = "rancher/k3s:v1.34.1-k3s1";
  private static final String SYSTEM_NS = "kinetic-system";
  private static final String FUNCTION_NS = "default";
  private static final Path IMAGES = Repository.root().resolve("operator/images/target/images");

  private static final boolean DOCKER = DockerClientFactory.instance().isDockerAvailable();
  private static final String NO_DOCKER =
      "no Docker engine here: K3sEndToEndIT starts k3s in a container, so it cannot run on this"
          + " machine (the same paths are tested without Docker by RealNodeIT, on a cluster built from"
          + " source, and by ChartOnApiServerIT, OperatorIT, ImagesIT and LocalModeIT)";

  private static K3sContainer k3s;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() throws Exception {
    if (!DOCKER) {
      return;
    }
    k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
    k3s.start();
    for (String image : List.of("kinetic-operator", "kinetic-activator", "examples-hello")) {
      importImage(IMAGES.resolve(image + ".tar"));
    }
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (k3s != null) {
      k3s.stop();
    }
  }

  @Test
  void helloIsInstalledCalledFromZeroAndScaledBackToZero() throws Exception {
    // Here, not in @BeforeAll: a skipped test is reported as skipped, with this reason.
    Assumptions.assumeTrue(DOCKER, NO_DOCKER);
    installChart();
    HasMetadata loaded =
        client
            .getKubernetesSerialization()
            .unmarshal(
                Files.readString(Repository.root().resolve("examples/hello/function.yaml")),
                HasMetadata.class);
    loaded.getMetadata().setNamespace(FUNCTION_NS);
    client.resource(loaded).serverSideApply();
    Deployment atZero =
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () -> client.apps().deployments().inNamespace(FUNCTION_NS).withName("hello").get(),
                Objects::nonNull);
    assertThat(atZero.getSpec().getReplicas()).as("min 0: no pod before a request").isZero();

    Pod activator =
        client
            .pods()
            .inNamespace(SYSTEM_NS)
            .withLabel("app.kubernetes.io/name", "kinetic-activator")
            .list()
            .getItems()
            .get(0);
    AtomicInteger calls = new AtomicInteger();
    try (LocalPortForward forward =
        client
            .pods()
            .inNamespace(SYSTEM_NS)
            .withName(activator.getMetadata().getName())
            .portForward(8080)) {
      HttpClient http = HttpClient.newHttpClient();
      URI uri =
          URI.create(
              "http://127.0.0.1:"
                  + forward.getLocalPort()
                  + "/"
                  + FUNCTION_NS
                  + "/hello/?name=k3s");
      // The request waits in the activator while a pod starts; the example's 10 s timeout may be
      // shorter than a first image start on a cold node, so a 504 is followed by another call.
      HttpResponse<String> answer =
          await()
              .atMost(Duration.ofMinutes(3))
              .until(
                  () -> {
                    calls.incrementAndGet();
                    return http.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                  },
                  r -> r.statusCode() != 504);
      System.out.println("hello answered through the activator after " + calls + " call(s)");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("Hello, k3s!\n");
    }

    // idleTimeout: 60s in function.yaml, then the autoscaler's decision.
    await()
        .atMost(Duration.ofMinutes(4))
        .until(
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(FUNCTION_NS)
                    .withName("hello")
                    .get()
                    .getSpec()
                    .getReplicas(),
            replicas -> replicas == 0);
    Function function =
        client.resources(Function.class).inNamespace(FUNCTION_NS).withName("hello").get();
    assertThat(function.getStatus().getLastScaleReason()).contains("scaling to zero");
    assertThat(function.getStatus().getDesiredReplicas()).isZero();
  }

  /** As `helm install` would, with the images already on the node. */
  private static void installChart() throws Exception {
    for (Path crd : Repository.crds()) {
      client.load(Files.newInputStream(crd)).serverSideApply();
    }
    ApiServer.createNamespace(client, SYSTEM_NS);
    List<String> applied = new ArrayList<>();
    for (HasMetadata object :
        RenderedChart.objects(client, SYSTEM_NS, v -> v.set("image.pullPolicy", "Never"))) {
      client.resource(object).serverSideApply();
      applied.add(RenderedChart.name(object));
    }
    System.out.println("installed: " + applied);
    for (String name : List.of("kinetic-operator", "kinetic-activator")) {
      await()
          .atMost(Duration.ofMinutes(3))
          .until(
              () -> client.apps().deployments().inNamespace(SYSTEM_NS).withName(name).get(),
              d ->
                  d.getStatus() != null
                      && d.getStatus().getReadyReplicas() != null
                      && d.getStatus().getReadyReplicas() >= 1);
    }
  }

  /** Into k3s's containerd, under the name the chart and function.yaml use. */
  private static void importImage(Path tarball) throws Exception {
    String inContainer = "/tmp/" + tarball.getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(tarball), inContainer);
    Container.ExecResult result =
        k3s.execInContainer("ctr", "--namespace", "k8s.io", "images", "import", inContainer);
    assertThat(result.getExitCode()).as(result.getStderr()).isZero();
  }
}
