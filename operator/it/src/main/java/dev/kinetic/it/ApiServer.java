package dev.kinetic.it;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDR;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver + etcd on this machine, started through fabric8 kube-api-test in offline
 * mode from the binaries that operator/it-support/build-k8s-binaries.sh builds. No kubelet, no
 * controller-manager: Deployments get no pods and nothing is garbage-collected.
 */
public final class ApiServer implements AutoCloseable {
  public static final String K8S_VERSION = System.getProperty("kinetic.k8s.version", "1.34.4");

  private static final String EXTRA_SERVICE_CIDR_NAME = "kinetic-it-extra";
  private static final String EXTRA_SERVICE_CIDR = "10.1.0.0/16";

  private final KubeAPIServer server;
  private final String adminKubeconfig;

  private ApiServer(KubeAPIServer server) {
    this.server = server;
    this.adminKubeconfig = server.getKubeConfigYaml();
  }

  public static ApiServer start() {
    Path testDir = binariesHome();
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(testDir.toString())
                .withApiServerVersion(K8S_VERSION)
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .build());
    server.start();
    ApiServer started = new ApiServer(server);
    try (KubernetesClient admin = started.adminClient()) {
      widenServiceRange(admin);
    }
    return started;
  }

  /**
   * kube-api-test fixes {@code --service-cluster-ip-range} to a /24 (254 Services), too few for the
   * 500-Function benchmark. Since Kubernetes 1.33 a cluster grows its range by adding a ServiceCIDR
   * object; the ServiceCIDR controller of kube-controller-manager, which does not run here, would
   * then mark it Ready, so this does that step as an administrator would see it done.
   */
  private static void widenServiceRange(KubernetesClient admin) {
    ServiceCIDR cidr =
        admin
            .resource(
                new ServiceCIDRBuilder()
                    .withNewMetadata()
                    .withName(EXTRA_SERVICE_CIDR_NAME)
                    .endMetadata()
                    .withNewSpec()
                    .withCidrs(EXTRA_SERVICE_CIDR)
                    .endSpec()
                    .build())
            .serverSideApply();
    cidr.setStatus(
        new ServiceCIDRStatusBuilder()
            .withConditions(
                new ConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withReason("MarkedReadyByTestHarness")
                    .withMessage("no kube-controller-manager runs in the integration tests")
                    .withLastTransitionTime(
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .build())
            .build());
    admin.resource(cidr).updateStatus();
  }

  /**
   * kube-api-test looks for {@code <dir>/k8s/<version>-linux-<arch>/}; the build script writes
   * exactly there. Fails with the command to run when the binaries are missing.
   */
  public static Path binariesHome() {
    String override = System.getenv("KINETIC_K8S_HOME");
    Path home =
        override != null
            ? Path.of(override)
            : Path.of(System.getProperty("user.home"), ".cache", "kinetic");
    Path dir = home.resolve("k8s").resolve(K8S_VERSION + "-linux-" + arch());
    for (String binary : new String[] {"kube-apiserver", "etcd", "kubectl"}) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IllegalStateException(
            "No "
                + binary
                + " in "
                + dir
                + ". Build kube-apiserver, kubectl and etcd from source once with `make k8s-bin`"
                + " (operator/it-support/build-k8s-binaries.sh; needs Go and the Go module proxy).");
      }
    }
    return home;
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return arch.equals("aarch64") ? "arm64" : "amd64";
  }

  public String adminKubeconfig() {
    return adminKubeconfig;
  }

  public KubernetesClient adminClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(adminKubeconfig)).build();
  }

  /** Installs crds/ as a user would and waits until the API server serves them. */
  public void installCrds(KubernetesClient client) {
    Repository.crds().forEach(file -> installCrd(client, file));
  }

  private static void installCrd(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      CustomResourceDefinition crd =
          client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.resource(crd).serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  // The status comes before its conditions: a CRD just applied may have neither.
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              cond ->
                                  "Established".equals(cond.getType())
                                      && "True".equals(cond.getStatus())),
              30,
              TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  public static void createNamespace(KubernetesClient client, String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  @Override
  public void close() {
    server.stop();
  }
}
