package dev.kinetic.it.node;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A real single-node Kubernetes cluster on this machine, without Docker: etcd, kube-apiserver
 * (RBAC, Node authorization, Pod Security admission), kube-controller-manager, kube-scheduler,
 * containerd with runc, kubelet, kube-proxy and CoreDNS, all built from source by
 * operator/it-support; the platform's images imported into containerd. Pods are started by the
 * kubelet from those images, Services are kube-proxy's iptables rules.
 *
 * <p>One at a time on a machine (a lock file says so), and {@link #close} leaves the host as it
 * found it: {@link #leftovers} is what differs from before the start, and should be nothing.
 */
public final class RealCluster implements AutoCloseable {
  private static final Path LOCK = Path.of("/run/kinetic-node.lock");
  static final Path NODE_FOLDERS = Path.of("/tmp");
  static final String NODE_PREFIX = "kinetic-node-";
  private static final Duration START = Duration.ofSeconds(120);

  private final NodeNetwork net = NodeNetwork.DEFAULT;
  private final NodeBinaries bins;
  private final NodeFolders dirs;
  private final HostState before;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final List<Daemon> daemons = new ArrayList<>();
  private NodeCredentials credentials;
  private Path adminKubeconfig;
  private NodeRegistry registry;
  private List<String> leftovers = List.of();
  private boolean closed;

  private RealCluster(
      NodeBinaries bins, NodeFolders dirs, HostState before, FileChannel lockFile, FileLock lock) {
    this.bins = bins;
    this.dirs = dirs;
    this.before = before;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /** Why this machine cannot run the node; empty when it can. */
  public static List<String> unavailableBecause() {
    List<String> missing = new ArrayList<>(HostTools.missing());
    try {
      NodeBinaries.locate();
    } catch (IllegalStateException e) {
      missing.add(e.getMessage());
    }
    return missing;
  }

  public static RealCluster start() {
    List<String> missing = unavailableBecause();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("cannot run a node here: " + String.join("; ", missing));
    }
    FileChannel lockFile = null;
    RealCluster cluster;
    try {
      lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = lockFile.tryLock();
      if (lock == null) {
        throw new IllegalStateException(
            "another Kinetic test node runs on this machine (" + LOCK + " is locked)");
      }
      NodeBinaries bins = NodeBinaries.locate();
      // Holding the lock, any node folder left is one whose run ended without its teardown (a
      // killed JVM): put the host back as that run found it before starting anew.
      for (String stale : NodeTeardown.stale(NODE_FOLDERS)) {
        System.err.println("a previous node was not torn down: " + stale);
      }
      HostState before = HostState.read();
      Path root = Files.createTempDirectory(NODE_FOLDERS, NODE_PREFIX);
      NodeFolders dirs = new NodeFolders(root);
      before.save(dirs.hostBefore());
      cluster = new RealCluster(bins, dirs, before, lockFile, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the node", e);
    }
    // Whatever ends this JVM (a test's failure, Ctrl-C, a build that is stopped) ends the node.
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "kinetic-node-teardown"));
    try {
      cluster.boot();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void boot() {
    NetworkSetup.up(net);
    credentials = NodeCredentials.create(dirs);
    Path configs = dirs.config();
    adminKubeconfig = writeKubeconfig("admin");

    int etcdPort = freePort();
    Daemon etcd =
        daemon(
            "etcd",
            List.of(
                bins.k8s("etcd"),
                "--data-dir=" + dirs.etcd(),
                "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + freePort(),
                "--unsafe-no-fsync=true",
                "--log-level=warn"));
    awaitHttp(etcd, "http://127.0.0.1:" + etcdPort + "/health", 200);

    Daemon apiServer =
        daemon(
            "kube-apiserver",
            List.of(
                bins.k8s("kube-apiserver"),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=" + net.nodeIp(),
                "--advertise-address=" + net.nodeIp(),
                "--secure-port=" + net.apiPort(),
                "--cert-dir=" + dirs.apiServerCerts(),
                "--token-auth-file=" + NodeCredentials.tokenFile(dirs),
                "--authorization-mode=Node,RBAC",
                "--enable-admission-plugins=NodeRestriction",
                "--service-cluster-ip-range=" + net.serviceCidr(),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + dirs.pki().resolve("sa.pub"),
                "--service-account-signing-key-file=" + dirs.pki().resolve("sa.key"),
                "--kubelet-client-certificate=" + dirs.pki().resolve("kubelet-client.crt"),
                "--kubelet-client-key=" + dirs.pki().resolve("kubelet-client.key"),
                "--kubelet-preferred-address-types=InternalIP,Hostname",
                "--profiling=false"));
    waitFor("the API server's certificate", apiServer, () -> Files.exists(dirs.serverCa()));
    waitFor(
        "the API server ready",
        apiServer,
        () -> {
          try (KubernetesClient admin = adminClient()) {
            return "ok".equals(admin.raw(net.apiServerUrl() + "/readyz"));
          } catch (RuntimeException notYet) {
            return false;
          }
        });

    daemon(
        "kube-controller-manager",
        List.of(
            bins.node("kube-controller-manager"),
            "--kubeconfig=" + writeKubeconfig("controller-manager"),
            "--service-account-private-key-file=" + dirs.pki().resolve("sa.key"),
            "--root-ca-file=" + dirs.serverCa(),
            "--use-service-account-credentials=true",
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=" + freePort(),
            "--profiling=false"));
    daemon(
        "kube-scheduler",
        List.of(
            bins.node("kube-scheduler"),
            "--kubeconfig=" + writeKubeconfig("scheduler"),
            "--leader-elect=false",
            "--bind-address=127.0.0.1",
            "--secure-port=" + freePort(),
            "--profiling=false"));

    registry = startRegistry();
    write(configs.resolve("containerd.toml"), NodeConfig.containerd(dirs));
    write(dirs.cniConfig().resolve("10-kinetic.conflist"), NodeConfig.cni(net, dirs));
    Daemon containerd =
        daemon(
            "containerd",
            List.of(
                bins.node("containerd"),
                "--config=" + configs.resolve("containerd.toml"),
                "--log-level=warn"),
            // The shim runs runc by its configured path; containerd finds the shim on PATH.
            Map.of("PATH", bins.node() + ":/usr/sbin:/usr/bin:/sbin:/bin"));
    waitFor("containerd's socket", containerd, () -> Files.exists(dirs.containerdSocket()));
    ClusterImages.importAll(bins, dirs);

    int kubeletHealth = freePort();
    write(configs.resolve("kubelet.yaml"), NodeConfig.kubelet(net, dirs, kubeletHealth));
    Daemon kubelet =
        daemon(
            "kubelet",
            List.of(
                bins.node("kubelet"),
                "--config=" + configs.resolve("kubelet.yaml"),
                "--kubeconfig=" + writeKubeconfig("kubelet"),
                "--root-dir=" + dirs.kubeletRoot(),
                "--cert-dir=" + dirs.root().resolve("kubelet-pki"),
                "--hostname-override=" + NodeConfig.NODE_NAME,
                "--node-ip=" + net.nodeIp(),
                "--v=1"),
            Map.of("PATH", bins.node() + ":/usr/sbin:/usr/bin:/sbin:/bin"));
    waitFor("the node Ready", kubelet, this::nodeReady);

    write(
        configs.resolve("kube-proxy.yaml"),
        NodeConfig.kubeProxy(net, writeKubeconfig("kube-proxy"), freePort(), freePort()));
    daemon(
        "kube-proxy",
        List.of(bins.node("kube-proxy"), "--config=" + configs.resolve("kube-proxy.yaml")));

    try (KubernetesClient admin = adminClient()) {
      ClusterDns.install(admin, net);
      ClusterDns.awaitReady(admin, START.toSeconds());
    }
  }

  private boolean nodeReady() {
    try (KubernetesClient admin = adminClient()) {
      Node node = admin.nodes().withName(NodeConfig.NODE_NAME).get();
      return node != null
          && node.getStatus() != null
          && node.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
  }

  /** The cluster-admin's kubeconfig (a file), for kubectl and helm as a user runs them. */
  public Path kubeconfig() {
    return adminKubeconfig;
  }

  public KubernetesClient adminClient() {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(adminKubeconfig)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** containerd's socket, for the node's ctr and crictl. */
  public Path containerdSocket() {
    return dirs.containerdSocket();
  }

  /** The node's private registry, where a pull needs credentials. */
  public NodeRegistry registry() {
    return registry;
  }

  /**
   * Puts {@code image}, one of the imported ones, into the private registry as {@code repository}
   * and leaves containerd without that reference, so a pod of it must pull it with credentials.
   *
   * @return the image's reference in the registry
   */
  public String pushToRegistry(String image, String repository) {
    String target = registry.image(repository);
    ctr("images", "tag", "--force", image, target);
    ctr(
        "images",
        "push",
        "--plain-http",
        "--user",
        registry.username() + ":" + registry.password(),
        target);
    ctr("images", "rm", target);
    return target;
  }

  private String ctr(String... args) {
    return ClusterImages.ctr(bins, dirs, args);
  }

  /**
   * Distribution's registry on the loopback with one user, a password made for this node, and
   * containerd told to reach it over HTTP.
   */
  private NodeRegistry startRegistry() {
    String address = "127.0.0.1:" + freePort();
    String password = java.util.UUID.randomUUID().toString();
    NodeRegistry made = new NodeRegistry(address, "kinetic", password);
    Path htpasswd = dirs.config().resolve("registry.htpasswd");
    write(
        htpasswd,
        HostState.run(List.of(HostTools.HTPASSWD, "-B", "-b", "-n", made.username(), password)));
    Path config = dirs.config().resolve("registry.yaml");
    write(config, NodeConfig.registry(address, dirs, htpasswd));
    write(
        dirs.registryHosts().resolve(address).resolve("hosts.toml"),
        NodeConfig.registryHost(address));
    Daemon daemon = daemon("registry", List.of(HostTools.REGISTRY, "serve", config.toString()));
    // Up when it refuses an anonymous client.
    awaitHttp(daemon, "http://" + address + "/v2/", 401);
    return made;
  }

  /** The node's programs' folder: kubectl, helm and crictl as a user would run them. */
  public Path tool(String name) {
    return Path.of(name.equals("kubectl") ? bins.k8s(name) : bins.node(name));
  }

  /**
   * SIGKILL to the main process of a pod's container, as a crash or the kernel's OOM killer would
   * end it; the kubelet then restarts the container as it would after a crash.
   */
  public void killContainer(String pod, String container) {
    long pid = mainProcess(pod, container);
    ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("no process " + pid + " for " + container))
        .destroyForcibly();
  }

  /**
   * SIGSTOP to the main process of a pod's container: it holds its connections and answers nothing,
   * as a process in a long pause, a livelock or a frozen cgroup does, while the kubelet still lists
   * it ready until its probes fail. {@link #resumeContainer} lets it go on.
   */
  public void pauseContainer(String pod, String container) {
    HostState.run(List.of("kill", "-STOP", Long.toString(mainProcess(pod, container))));
  }

  /** SIGCONT to the main process of a container {@link #pauseContainer paused}. */
  public void resumeContainer(String pod, String container) {
    HostState.run(List.of("kill", "-CONT", Long.toString(mainProcess(pod, container))));
  }

  /** The host's pid of the main process of a pod's running container (crictl inspect). */
  private long mainProcess(String pod, String container) {
    String endpoint = "unix://" + dirs.containerdSocket();
    String listing =
        HostState.run(
            List.of(
                bins.node("crictl"),
                "--runtime-endpoint",
                endpoint,
                "ps",
                "--quiet",
                "--name",
                container,
                "--label",
                "io.kubernetes.pod.name=" + pod));
    // crictl's own warnings (no /etc/crictl.yaml) share the output: keep the ids.
    List<String> ids = listing.lines().filter(l -> l.matches("[0-9a-f]{12,64}")).toList();
    if (ids.size() != 1) {
      throw new IllegalStateException(
          "no single running container " + container + " in " + pod + ": " + listing);
    }
    String inspected =
        HostState.run(
            List.of(
                bins.node("crictl"),
                "--runtime-endpoint",
                endpoint,
                "inspect",
                "--output",
                "go-template",
                "--template",
                "{{.info.pid}}",
                ids.get(0)));
    return Long.parseLong(
        inspected.lines().filter(l -> l.matches("[0-9]+")).findFirst().orElseThrow());
  }

  /** Where each program's log is: the first place to look when a test fails. */
  public Path logs() {
    return dirs.logs();
  }

  /** The containers' own logs (kubelet's pod log folder). */
  public Path podLogs() {
    return dirs.podLogs();
  }

  /**
   * Copies the programs' and the containers' logs to {@code target} (the node's own folder goes
   * with it), so that a failed run can be read afterwards.
   */
  public void keepLogs(Path target) {
    try {
      NodeTeardown.deleteTree(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + target, e);
    }
    for (Path from : List.of(dirs.logs(), dirs.podLogs())) {
      if (!Files.isDirectory(from)) {
        continue;
      }
      try (var files = Files.walk(from)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Path to = target.resolve(from.getFileName()).resolve(from.relativize(file).toString());
          Files.createDirectories(to.getParent());
          try {
            Files.copy(file, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } catch (java.nio.file.NoSuchFileException gone) {
            // A pod removed meanwhile took its log with it: nothing to keep.
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the logs of " + from, e);
      }
    }
  }

  /** What differs on the host from before the start, once {@link #close} has run. */
  public List<String> leftovers() {
    return leftovers;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      leftovers = NodeTeardown.run(bins, dirs, net, before, daemons);
    } finally {
      try {
        lock.release();
        lockFile.close();
      } catch (IOException e) {
        leftovers = new ArrayList<>(leftovers);
        leftovers.add("cannot release " + LOCK + ": " + e.getMessage());
      }
    }
  }

  private Path writeKubeconfig(String component) {
    Path file = dirs.config().resolve(component + ".kubeconfig");
    write(file, NodeConfig.kubeconfig(net, dirs.serverCa(), credentials.token(component)));
    return file;
  }

  private Daemon daemon(String name, List<String> command) {
    return daemon(name, command, Map.of());
  }

  private Daemon daemon(String name, List<String> command, Map<String, String> env) {
    Daemon daemon = Daemon.start(name, command, env, dirs.logs());
    daemons.add(daemon);
    return daemon;
  }

  /** Waits for {@code ready}, failing at once with its log when {@code daemon} ends first. */
  private static void waitFor(String what, Daemon daemon, Callable<Boolean> ready) {
    await()
        .alias(what)
        .atMost(START)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!daemon.isAlive()) {
                throw new IllegalStateException(
                    daemon.name() + " stopped while waiting for " + what + ":\n" + daemon.tail(30));
              }
              try {
                return ready.call();
              } catch (Exception notYet) {
                return false;
              }
            });
  }

  private static void awaitHttp(Daemon daemon, String url, int status) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    waitFor(
        url,
        daemon,
        () ->
            http.send(
                        HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == status);
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
