package dev.kinetic.it;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One API server for all integration tests of this JVM: starting etcd and kube-apiserver takes
 * seconds, and each test works in its own namespace anyway.
 */
final class SharedApiServer {
  private static ApiServer server;
  private static KubernetesClient admin;

  private SharedApiServer() {}

  static synchronized ApiServer server() {
    if (server == null) {
      server = ApiServer.start();
      admin = server.adminClient();
      server.installCrds(admin);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    admin.close();
                    server.close();
                  }));
    }
    return server;
  }

  static synchronized KubernetesClient admin() {
    server();
    return admin;
  }
}
