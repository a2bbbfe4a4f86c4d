package dev.kinetic.it.node;

/**
 * The addresses of the test node: pods on a bridge of their own, the node's address on that bridge
 * (kubelet refuses a loopback node address, and pods must reach the API server there), and the
 * Service range routed onto the same bridge so that nothing meant for the cluster can leave the
 * machine. All of it exists only while the cluster runs.
 */
record NodeNetwork(
    String bridge, String nodeIp, String podCidr, String serviceCidr, String dnsIp, int apiPort) {

  static final NodeNetwork DEFAULT =
      new NodeNetwork("kinetic0", "10.85.0.1", "10.85.0.0/24", "10.96.0.0/16", "10.96.0.10", 6443);

  /** The node address with the pod network's prefix, as it is put on the bridge. */
  String nodeAddress() {
    return nodeIp + podCidr.substring(podCidr.indexOf('/'));
  }

  String apiServerUrl() {
    return "https://" + nodeIp + ":" + apiPort;
  }
}
