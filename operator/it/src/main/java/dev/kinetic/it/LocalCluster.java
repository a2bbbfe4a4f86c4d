package dev.kinetic.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code make run}: a local kube-apiserver + etcd, the CRD, the operator (as its ServiceAccount,
 * with the chart's RBAC) and every manifest under examples/. Runs until Ctrl-C, then stops all of
 * it. There is no kubelet: the control plane is real, pods never start.
 */
public final class LocalCluster {
  private static final String OPERATOR_NAMESPACE = "kinetic-system";

  private LocalCluster() {}

  public static void main(String[] args) throws Exception {
    ApiServer server = ApiServer.start();
    Path kubeconfig = Repository.root().resolve(".kinetic/kubeconfig");
    Files.createDirectories(kubeconfig.getParent());
    Files.writeString(kubeconfig, server.adminKubeconfig());
    CountDownLatch stopped = new CountDownLatch(1);
    OperatorProcess operator;
    try (KubernetesClient admin = server.adminClient()) {
      server.installCrds(admin);
      String operatorConfig = ServiceAccountIdentity.operator(admin, OPERATOR_NAMESPACE);
      operator = OperatorProcess.start(operatorConfig, OPERATOR_NAMESPACE, null);
      for (Path manifest : examples()) {
        try (InputStream in = Files.newInputStream(manifest)) {
          List<HasMetadata> items = admin.load(in).items();
          for (HasMetadata item : items) {
            admin.resource(item).inNamespace("default").serverSideApply();
          }
          System.out.println("applied " + Repository.root().relativize(manifest));
        }
      }
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  server.close();
                  stopped.countDown();
                }));
    System.out.println();
    System.out.println("Kinetic control plane is running. In another terminal:");
    System.out.println("  export KUBECONFIG=" + kubeconfig);
    System.out.println("  kubectl get fn -A        # kubectl is in ~/.cache/kinetic/k8s/*/");
    System.out.println("Ctrl-C stops the operator and the API server.");
    stopped.await();
  }

  private static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(Repository.root().resolve("examples"))) {
      return files
          .filter(p -> p.getFileName().toString().equals("function.yaml"))
          .sorted()
          .toList();
    }
  }
}
