package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.PodsService;
import dev.kinetic.api.ScaleSpec;
import dev.kinetic.images.ImageRoot;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's container images (operator/images) against a real kube-apiserver, each started
 * from its own root filesystem as a container runtime would start it — entrypoint, non-root user,
 * jlink'ed Java — with the chart's RBAC for its ServiceAccount. Runs in its own JVM fork (see the
 * pom): the operator image is the only operator there, so what happens is its doing.
 *
 * <p>No kubelet runs here, so this test plays its part (and the EndpointSlice controller's): when
 * the operator scales a Deployment to one, it starts the function's image and publishes the ready
 * endpoint, on this machine's address (the API server refuses loopback ones). Everything else is
 * the real thing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesOnApiServerIT {
  private static final String OPERATOR_NS = "kinetic-system";
  private static final String NS = "it-images";
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(30);

  @TempDir static Path temp;

  private static KubernetesClient admin;
  private static Process operator;
  private static int operatorPort;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startTheOperatorImage() throws Exception {
    Assumptions.assumeTrue(
        ImageRoot.canChroot(),
        "running an image without a container engine needs root, chroot and a private mount"
            + " namespace (unshare); this machine refuses one of them (ImagesIT still checks the"
            + " images' contents)");
    admin = SharedApiServer.admin();
    ApiServer.createNamespace(admin, NS);
    ImageRoot image = unpack("kinetic-operator");
    operatorPort = freePort();
    operator =
        image.start(
            Map.of(
                "KUBECONFIG",
                credentials(image, ServiceAccountIdentity.operator(admin, OPERATOR_NS)),
                "KINETIC_OPERATOR_NAMESPACE",
                OPERATOR_NS,
                "QUARKUS_HTTP_PORT",
                Integer.toString(operatorPort),
                // What the kubelet sets; the leader election's identity.
                "HOSTNAME",
                "kinetic-operator-image-0"),
            temp.resolve("operator.log"));
  }

  @AfterAll
  static void printTheLogs() throws IOException {
    if (operator != null && operator.isAlive()) {
      operator.destroyForcibly();
    }
    for (String log : new String[] {"operator.log", "activator.log", "hello.log"}) {
      Path file = temp.resolve(log);
      if (Files.exists(file)) {
        System.out.println("--- " + log + "\n" + Files.readString(file));
      }
    }
  }

  @Test
  @Order(1)
  void theOperatorImageTakesTheLeaseAndReconcilesAFunction() throws Exception {
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

    Function created = admin.resource(function("reconciled")).create();

    Deployment deployment = awaitDeployment("reconciled", d -> true);
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
    Condition ready =
        await()
            .atMost(WAIT)
            .until(
                () -> readyCondition("reconciled"),
                c -> c != null && "Deploying".equals(c.getReason()));
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(get("http://127.0.0.1:" + operatorPort + "/q/metrics").body())
        .contains("kinetic_autoscaler_leader 1.0");
  }

  @Test
  @Order(2)
  void aRequestAtZeroIsHeldByTheActivatorImageUntilTheOperatorImageScalesUpThenBackToZero()
      throws Exception {
    admin.resource(function("hello")).create();
    Deployment atZero = awaitDeployment("hello", d -> true);
    assertThat(atZero.getSpec().getReplicas()).as("min 0: no pod before a request").isZero();
    ImageRoot activatorImage = unpack("kinetic-activator");
    int port = freePort();
    int adminPort = freePort();
    Process activator =
        activatorImage.start(
            Map.of(
                "KUBECONFIG",
                credentials(activatorImage, ServiceAccountIdentity.activator(admin, OPERATOR_NS)),
                "KINETIC_ACTIVATOR_PORT",
                Integer.toString(port),
                "KINETIC_ACTIVATOR_ADMIN_PORT",
                Integer.toString(adminPort),
                "KINETIC_ACTIVATOR_AUTOSCALER_URL",
                "http://127.0.0.1:" + operatorPort + "/autoscaler/demand"),
            temp.resolve("activator.log"));
    Process hello = null;
    try {
      awaitHealthy(adminPort);
      // The activator Service's endpoint, where the operator collects concurrency from.
      String podAddress = podAddress();
      admin
          .resource(
              endpoint(OPERATOR_NS, "kinetic-activator", Map.of(), "admin", podAddress, adminPort))
          .create();

      CompletableFuture<HttpResponse<String>> answer =
          HTTP.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/" + NS + "/hello/?name=cluster"))
                  .timeout(WAIT)
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      // The demand signal reaches the operator, whose autoscaler writes the scale subresource.
      awaitDeployment("hello", d -> d.getSpec().getReplicas() == 1);
      assertThat(answer).as("held by the activator: there is no pod yet").isNotDone();
      // The kubelet's and the EndpointSlice controller's part: a ready pod, then its endpoint.
      ImageRoot helloImage = unpack("examples-hello");
      int helloPort = freePort();
      hello =
          helloImage.start(
              Map.of("PORT", Integer.toString(helloPort), "GREETING", "Hello"),
              temp.resolve("hello.log"));
      awaitHealthy(helloPort);
      EndpointSlice pod =
          admin
              .resource(
                  endpoint(
                      NS,
                      PodsService.name("hello"),
                      Map.of(Function.FUNCTION_LABEL, "hello"),
                      "http",
                      podAddress,
                      helloPort))
              .create();

      HttpResponse<String> response = answer.get();
      long answered = System.nanoTime();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Hello, cluster!\n");
      Function reported =
          awaitFunction(
              "hello", f -> f.getStatus() != null && f.getStatus().getLastScaleReason() != null);
      assertThat(reported.getStatus().getLastScaleReason())
          .isEqualTo("1 request waiting at zero pods: scaling to 1 now");

      // No more traffic: once the 60 s stable window is empty and the idle timeout has passed,
      // the autoscaler, fed by the activator's stats, takes the function back to zero.
      awaitDeployment("hello", d -> d.getSpec().getReplicas() == 0, Duration.ofMinutes(3));
      // The status follows the scale write.
      Function idle =
          awaitFunction(
              "hello", f -> f.getStatus().getLastScaleReason().contains("scaling to zero"));
      assertThat(idle.getStatus().getDesiredReplicas()).isZero();
      System.out.printf(
          "back to zero %d s after the answer: %s%n",
          Duration.ofNanos(System.nanoTime() - answered).toSeconds(),
          idle.getStatus().getLastScaleReason());
      // The kubelet's part again: the pod goes, and its endpoint with it.
      assertThat(ImageRoot.stop(hello, GRACE)).as("the function stops on SIGTERM").isTrue();
      hello = null;
      admin.resource(pod).delete();
    } finally {
      assertThat(ImageRoot.stop(activator, GRACE)).as("the activator stops on SIGTERM").isTrue();
      if (hello != null) {
        assertThat(ImageRoot.stop(hello, GRACE)).as("the function stops on SIGTERM").isTrue();
      }
    }
  }

  @Test
  @Order(3)
  void theOperatorImageStopsOnSigterm() throws Exception {
    assertThat(ImageRoot.stop(operator, GRACE))
        .as("the operator exits; it does not hang until SIGKILL")
        .isTrue();
    assertThat(Files.readString(temp.resolve("operator.log")))
        .contains("leadership ended by the shutdown");
    Lease lease = admin.leases().inNamespace(OPERATOR_NS).withName("kinetic-operator-leader").get();
    assertThat(lease.getSpec().getHolderIdentity())
        .as("given up, so a standby takes over without waiting for it to expire")
        .isNull();
  }

  private static ImageRoot unpack(String name) throws Exception {
    Path tarball = Repository.root().resolve("operator/images/target/images/" + name + ".tar");
    assertThat(tarball).as("built by operator/images in the package phase").exists();
    return ImageRoot.unpack(tarball, Files.createDirectories(temp.resolve(name)));
  }

  /**
   * Writes a kubeconfig where a pod would have its projected ServiceAccount token; returns its path
   * inside the image.
   */
  private static String credentials(ImageRoot image, String kubeconfig) throws IOException {
    Path dir = Files.createDirectories(image.root().resolve("etc/kinetic"));
    Files.writeString(dir.resolve("kubeconfig"), kubeconfig);
    return "/etc/kinetic/kubeconfig";
  }

  /** What the EndpointSlice controller publishes for a Service with one ready pod. */
  private static EndpointSlice endpoint(
      String namespace,
      String service,
      Map<String, String> serviceLabels,
      String portName,
      String address,
      int port) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(service + "-pod")
        .withNamespace(namespace)
        .addToLabels("kubernetes.io/service-name", service)
        .addToLabels(serviceLabels)
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint()
        .withAddresses(address)
        .withNewConditions()
        .withReady(true)
        .endConditions()
        .endEndpoint()
        .addNewPort()
        .withName(portName)
        .withPort(port)
        .withProtocol("TCP")
        .endPort()
        .build();
  }

  /**
   * This machine's own non-loopback IPv4 address, standing in for a pod IP: the API server refuses
   * loopback addresses in EndpointSlices, and the function listens on every interface.
   */
  private static String podAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          return address.getHostAddress();
        }
      }
    }
    throw new IllegalStateException("this machine has no non-loopback IPv4 address for a pod");
  }

  private static Deployment awaitDeployment(String name, Predicate<Deployment> condition) {
    return awaitDeployment(name, condition, WAIT);
  }

  private static Deployment awaitDeployment(
      String name, Predicate<Deployment> condition, Duration wait) {
    return await()
        .atMost(wait)
        .until(
            () -> admin.apps().deployments().inNamespace(NS).withName(name).get(),
            d -> Objects.nonNull(d) && condition.test(d));
  }

  private static Function awaitFunction(String name, Predicate<Function> condition) {
    return await().atMost(WAIT).until(() -> current(name), condition);
  }

  private static Function current(String name) {
    return admin.resources(Function.class).inNamespace(NS).withName(name).get();
  }

  private static void awaitHealthy(int port) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> get("http://127.0.0.1:" + port + "/healthz").statusCode() == 200);
  }

  private static Condition readyCondition(String name) {
    Function f = current(name);
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
    spec.setImage("ghcr.io/kinetic-dev/examples/hello:0.1.0");
    spec.setTimeoutSeconds(60);
    ScaleSpec scale = new ScaleSpec();
    scale.setIdleTimeout("5s");
    spec.setScale(scale);
    function.setSpec(spec);
    return function;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
