package dev.kinetic.it.node;

import java.util.concurrent.CountDownLatch;

/**
 * {@code make cluster}: the test suite's real single-node cluster for a person. Prints the
 * KUBECONFIG and the tools' folder, runs until Ctrl-C, then tears the node down and says what, if
 * anything, it could not put back.
 */
public final class ClusterMain {
  private ClusterMain() {}

  public static void main(String[] args) throws InterruptedException {
    RealCluster cluster = RealCluster.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping the node…");
                  cluster.close();
                  cluster.leftovers().forEach(l -> System.out.println("  left behind: " + l));
                  stopped.countDown();
                }));
    System.out.println();
    System.out.println("A single-node Kubernetes cluster is running. In another terminal:");
    System.out.println("  export KUBECONFIG=" + cluster.kubeconfig());
    System.out.println(
        "  export PATH="
            + cluster.tool("helm").getParent()
            + ":"
            + cluster.tool("kubectl").getParent()
            + ":$PATH");
    System.out.println("  kubectl get nodes");
    System.out.println("  kubectl create namespace kinetic-system");
    System.out.println("  helm install kinetic helm/kinetic -n kinetic-system");
    System.out.println("  kubectl apply -f examples/hello/function.yaml");
    NodeRegistry registry = cluster.registry();
    System.out.println(
        "A private registry at "
            + registry.address()
            + " (user "
            + registry.username()
            + ", password "
            + registry.password()
            + "): push with "
            + cluster.tool("ctr")
            + " --address "
            + cluster.containerdSocket()
            + ", pull with an image pull secret (docs/install.md).");
    System.out.println("Programs' logs: " + cluster.logs());
    System.out.println("Ctrl-C stops the node and puts the host back as it was.");
    stopped.await();
  }
}
