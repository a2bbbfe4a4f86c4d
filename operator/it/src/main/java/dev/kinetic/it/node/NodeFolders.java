package dev.kinetic.it.node;

import java.nio.file.Path;

/**
 * Everything the test node writes, under one folder: each program is pointed here wherever it lets
 * itself be. (What it writes elsewhere regardless is listed in {@link HostState}.) Kept short
 * because a unix socket's path may hold at most 107 bytes.
 */
record NodeFolders(Path root) {
  Path etcd() {
    return root.resolve("etcd");
  }

  Path pki() {
    return root.resolve("pki");
  }

  /** The API server writes its self-signed serving certificate (and its CA) here. */
  Path apiServerCerts() {
    return root.resolve("apiserver");
  }

  Path serverCa() {
    return apiServerCerts().resolve("apiserver.crt");
  }

  Path clientCa() {
    return pki().resolve("ca.crt");
  }

  Path containerdRoot() {
    return root.resolve("containerd/root");
  }

  Path containerdState() {
    return root.resolve("containerd/state");
  }

  Path containerdSocket() {
    return root.resolve("containerd/state/containerd.sock");
  }

  Path runcRoot() {
    return root.resolve("runc");
  }

  Path cniConfig() {
    return root.resolve("cni/net.d");
  }

  Path ipamLeases() {
    return root.resolve("cni/leases");
  }

  Path kubeletRoot() {
    return root.resolve("kubelet");
  }

  Path podLogs() {
    return root.resolve("pod-logs");
  }

  Path config() {
    return root.resolve("config");
  }

  Path logs() {
    return root.resolve("logs");
  }

  /** The host as it was before the node started ({@link HostState}). */
  Path hostBefore() {
    return root.resolve("host-before.json");
  }

  Path images() {
    return root.resolve("images");
  }

  /** containerd's per-registry settings (hosts.toml files, one folder per host:port). */
  Path registryHosts() {
    return root.resolve("config/registry-hosts");
  }

  /** The node's private registry's blobs and manifests. */
  Path registryStorage() {
    return root.resolve("registry");
  }
}
