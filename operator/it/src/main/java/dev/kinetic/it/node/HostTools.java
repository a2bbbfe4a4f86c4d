package dev.kinetic.it.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the node takes from the host's packages (operator/it-support/install-node-packages.sh
 * installs them from Debian): runc, the CNI plugins, iptables and openssl, a registry and htpasswd
 * for its private registry; and that it is root.
 */
final class HostTools {
  static final String RUNC = "/usr/sbin/runc";
  static final String CNI_PLUGINS = "/usr/lib/cni";
  static final String IPTABLES = "/usr/sbin/iptables";
  static final String IPTABLES_SAVE = "/usr/sbin/iptables-save";
  static final String OPENSSL = "/usr/bin/openssl";
  static final String IP = "/usr/sbin/ip";
  static final String NFT = "/usr/sbin/nft";
  static final String REGISTRY = "/usr/bin/docker-registry";
  static final String HTPASSWD = "/usr/bin/htpasswd";

  private HostTools() {}

  /** Why this machine cannot run the node, or an empty list when it can. */
  static List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("the node needs root (kubelet, containerd and the pod network do)");
    }
    for (String tool :
        List.of(
            RUNC,
            CNI_PLUGINS + "/bridge",
            CNI_PLUGINS + "/host-local",
            IPTABLES,
            NFT,
            OPENSSL,
            IP,
            REGISTRY,
            HTPASSWD)) {
      if (!Files.isExecutable(Path.of(tool))) {
        missing.add(
            tool + " is missing: run operator/it-support/install-node-packages.sh (make node-bin)");
      }
    }
    return missing;
  }
}
