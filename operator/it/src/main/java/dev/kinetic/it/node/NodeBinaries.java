package dev.kinetic.it.node;

import dev.kinetic.it.ApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the node's programs are: kube-apiserver, etcd and kubectl from
 * operator/it-support/build-k8s-binaries.sh, the rest from build-node-binaries.sh (both cached
 * under ~/.cache/kinetic, or $KINETIC_K8S_HOME).
 */
record NodeBinaries(Path k8s, Path node) {
  private static final List<String> NODE =
      List.of(
          "kubelet",
          "kube-scheduler",
          "kube-controller-manager",
          "kube-proxy",
          "containerd",
          "containerd-shim-runc-v2",
          "ctr",
          "crictl",
          "helm",
          "coredns",
          "pause");

  static NodeBinaries locate() {
    Path home = ApiServer.binariesHome();
    Path k8s = home.resolve("k8s").resolve(ApiServer.K8S_VERSION + "-linux-amd64");
    Path node = home.resolve("node").resolve(ApiServer.K8S_VERSION + "-linux-amd64");
    for (String binary : NODE) {
      if (!Files.isExecutable(node.resolve(binary))) {
        throw new IllegalStateException(
            "No "
                + binary
                + " in "
                + node
                + ". Build the node's programs from source once with `make node-bin`"
                + " (operator/it-support/build-node-binaries.sh; needs Go and the Go module proxy).");
      }
    }
    return new NodeBinaries(k8s, node);
  }

  String k8s(String name) {
    return k8s.resolve(name).toString();
  }

  String node(String name) {
    return node.resolve(name).toString();
  }
}
