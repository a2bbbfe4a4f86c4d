package dev.kinetic.it;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One packaged operator for all integration tests of this JVM, as one runs in a cluster: a second
 * one would only wait for the first one's leader lease.
 */
final class SharedOperator {
  static final String NAMESPACE = "kinetic-system";

  private static OperatorProcess operator;
  private static KubernetesClient asOperator;

  private SharedOperator() {}

  static synchronized OperatorProcess process() {
    if (operator == null) {
      KubernetesClient admin = SharedApiServer.admin();
      String kubeconfig = ServiceAccountIdentity.operator(admin, NAMESPACE);
      asOperator =
          new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
      Path log = tempLog();
      operator = OperatorProcess.start(kubeconfig, NAMESPACE, log);
      System.out.println("operator log: " + log);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    operator.close();
                    asOperator.close();
                  }));
    }
    return operator;
  }

  /** A client with exactly the operator's credentials. */
  static synchronized KubernetesClient client() {
    process();
    return asOperator;
  }

  private static Path tempLog() {
    try {
      return Files.createTempFile(Path.of("target"), "kinetic-operator-it-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
