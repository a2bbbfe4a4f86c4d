package dev.kinetic.it.node;

import java.nio.file.Path;

/**
 * The configuration files of the test node's programs, as text: pure functions of the network and
 * the folders, so a test can read exactly what the node was given.
 *
 * <p>Each setting that departs from a program's default says why; most are facts of these machines
 * (cgroup v1, no swap limit, no CAP_SYS_RESOURCE, no registry).
 */
final class NodeConfig {
  static final String NODE_NAME = "kinetic-node";

  /** The sandbox image every pod starts from; imported, never pulled. */
  static final String PAUSE_IMAGE = "kinetic.local/pause:1";

  private NodeConfig() {}

  /**
   * containerd 2's CRI plugin: cgroupfs (no systemd here), no AppArmor, and oom_score_adj kept
   * within what the process may set, since this VM drops CAP_SYS_RESOURCE and runc otherwise fails
   * every pod ("can't get final child's PID from pipe").
   */
  static String containerd(NodeFolders dirs) {
    return """
        version = 3
        root = "%s"
        state = "%s"

        [grpc]
          address = "%s"

        [plugins.'io.containerd.cri.v1.runtime']
          enable_selinux = false
          disable_apparmor = true
          restrict_oom_score_adj = true
          [plugins.'io.containerd.cri.v1.runtime'.containerd]
            default_runtime_name = "runc"
            [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                BinaryName = "%s"
                Root = "%s"
                SystemdCgroup = false
          [plugins.'io.containerd.cri.v1.runtime'.cni]
            bin_dirs = ["%s"]
            conf_dir = "%s"

        [plugins.'io.containerd.cri.v1.images']
          snapshotter = "overlayfs"
          [plugins.'io.containerd.cri.v1.images'.pinned_images]
            sandbox = "%s"
          [plugins.'io.containerd.cri.v1.images'.registry]
            config_path = "%s"
        """
        .formatted(
            dirs.containerdRoot(),
            dirs.containerdState(),
            dirs.containerdSocket(),
            HostTools.RUNC,
            dirs.runcRoot(),
            HostTools.CNI_PLUGINS,
            dirs.cniConfig(),
            PAUSE_IMAGE,
            dirs.registryHosts());
  }

  /**
   * containerd's settings for the node's private registry: plain HTTP, since it listens on the
   * loopback only and a certificate would prove nothing here. Credentials are not set here: the
   * kubelet passes those of the pod's image pull secrets with each pull.
   */
  static String registryHost(String address) {
    return """
        server = "http://%1$s"

        [host."http://%1$s"]
          capabilities = ["pull", "resolve"]
        """
        .formatted(address);
  }

  /**
   * The private registry (Distribution, Debian's docker-registry): on the loopback, every request
   * authenticated against {@code htpasswd}, as a company's registry is.
   */
  static String registry(String address, NodeFolders dirs, Path htpasswd) {
    return """
        version: 0.1
        log:
          level: warn
        storage:
          filesystem:
            rootdirectory: "%s"
        http:
          addr: "%s"
        auth:
          htpasswd:
            realm: kinetic-node
            path: "%s"
        """
        .formatted(dirs.registryStorage(), address, htpasswd);
  }

  /**
   * The pods' network: one bridge, addresses from the pod range (leases kept in the node's own
   * folder), no masquerade since nothing is to leave the machine, hairpin so a pod reaches itself
   * through its Service.
   */
  static String cni(NodeNetwork net, NodeFolders dirs) {
    return """
        {
          "cniVersion": "1.0.0",
          "name": "kinetic",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "%s",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "dataDir": "%s",
                "ranges": [[{"subnet": "%s", "gateway": "%s"}]],
                "routes": [{"dst": "0.0.0.0/0"}]
              }
            },
            {"type": "loopback"}
          ]
        }
        """
        .formatted(net.bridge(), dirs.ipamLeases(), net.podCidr(), net.nodeIp());
  }

  /**
   * kubelet on this machine: cgroup v1 with cgroupfs, no swap accounting, eviction and image
   * garbage collection that never act on a test's few images, its logs in the node's folder. Volume
   * usage is measured every 10 s rather than every minute, so a pod over its {@code /tmp} limit is
   * evicted within a test's patience (the kubelet's default lets it stay up to a minute).
   * Authentication: the API server's client certificate (for logs and exec) and tokens by webhook.
   * {@code KINETIC_NODE_KUBELET_FEATURE_GATES} ({@code Name=true,...}) adds kubelet feature gates,
   * to measure the platform on a node configured otherwise (docs/benchmarks.md); unset, none.
   */
  static String kubelet(NodeNetwork net, NodeFolders dirs, int healthzPort) {
    return kubelet(net, dirs, healthzPort, System.getenv("KINETIC_NODE_KUBELET_FEATURE_GATES"));
  }

  static String kubelet(NodeNetwork net, NodeFolders dirs, int healthzPort, String featureGates) {
    return """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        address: %s
        port: 10250
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        healthzPort: %d
        authentication:
          anonymous: {enabled: false}
          webhook: {enabled: true}
          x509: {clientCAFile: "%s"}
        authorization:
          mode: Webhook
        cgroupDriver: cgroupfs
        failSwapOn: false
        failCgroupV1: false
        containerRuntimeEndpoint: "unix://%s"
        clusterDNS: ["%s"]
        clusterDomain: cluster.local
        resolvConf: ""
        podLogsDir: "%s"
        evictionHard: {memory.available: "100Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        serializeImagePulls: false
        maxPods: 110
        nodeStatusUpdateFrequency: 4s
        syncFrequency: 10s
        volumeStatsAggPeriod: 10s
        shutdownGracePeriod: 0s
        featureGates: {%s}
        """
        .formatted(
            net.nodeIp(),
            healthzPort,
            dirs.clientCa(),
            dirs.containerdSocket(),
            net.dnsIp(),
            dirs.podLogs(),
            featureGatesYaml(featureGates));
  }

  /** {@code A=true,B=false} as YAML flow-map entries; blank: none. */
  static String featureGatesYaml(String gates) {
    if (gates == null || gates.isBlank()) {
      return "";
    }
    StringBuilder yaml = new StringBuilder();
    for (String gate : gates.split(",", -1)) {
      String[] nameValue = gate.trim().split("=", 2);
      if (nameValue.length != 2
          || !nameValue[0].matches("[A-Za-z0-9]+")
          || !nameValue[1].matches("true|false")) {
        throw new IllegalArgumentException(
            "KINETIC_NODE_KUBELET_FEATURE_GATES must be Name=true|false,..., got '" + gates + "'");
      }
      yaml.append(yaml.isEmpty() ? "" : ", ")
          .append(nameValue[0])
          .append(": ")
          .append(nameValue[1]);
    }
    return yaml.toString();
  }

  /**
   * kube-proxy in iptables mode, leaving the host's conntrack settings and route_localnet alone (no
   * node ports on localhost) so that stopping it restores the host.
   */
  static String kubeProxy(NodeNetwork net, Path kubeconfig, int healthzPort, int metricsPort) {
    return """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        kind: KubeProxyConfiguration
        mode: iptables
        hostnameOverride: %s
        clusterCIDR: %s
        clientConnection: {kubeconfig: "%s"}
        healthzBindAddress: 127.0.0.1:%d
        metricsBindAddress: 127.0.0.1:%d
        conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s, udpTimeout: 0s, udpStreamTimeout: 0s}
        iptables: {localhostNodePorts: false}
        nodePortAddresses: ["%s/32"]
        """
        .formatted(NODE_NAME, net.podCidr(), kubeconfig, healthzPort, metricsPort, net.nodeIp());
  }

  /** A kubeconfig that trusts the API server's certificate and presents a bearer token. */
  static String kubeconfig(NodeNetwork net, Path serverCa, String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: kinetic-node
            cluster: {server: "%s", certificate-authority: "%s"}
        users:
          - name: user
            user: {token: "%s"}
        contexts:
          - name: kinetic-node
            context: {cluster: kinetic-node, user: user}
        current-context: kinetic-node
        """
        .formatted(net.apiServerUrl(), serverCa, token);
  }
}
