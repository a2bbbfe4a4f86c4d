package dev.kinetic.activator;

import dev.kinetic.routes.KubernetesRouteTable;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.RouteTable;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The activator as a process. Routes come from the Kubernetes API (Functions and their
 * EndpointSlices), or, when {@code KINETIC_ACTIVATOR_ROUTES} is set, from that setting (see {@link
 * StaticRoutes}; benchmarks, single machines). Local mode embeds {@link Activator} instead.
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  /** How long one demand signal may take before the activator stops waiting for its answer. */
  static final Duration DEMAND_TIMEOUT = Duration.ofSeconds(2);

  private Main() {}

  /**
   * The other activators, from the ready endpoints of their Service, when the pod knows its own
   * address and namespace (the chart gives both through the Downward API); else this one is alone,
   * as with a single replica.
   */
  private static Peers peers(KubernetesClient client, Map<String, String> env) {
    String ip = env.get("KINETIC_ACTIVATOR_POD_IP");
    String namespace = env.get("KINETIC_ACTIVATOR_NAMESPACE");
    if (ip == null || ip.isBlank() || namespace == null || namespace.isBlank()) {
      LOG.warning(
          "KINETIC_ACTIVATOR_POD_IP or KINETIC_ACTIVATOR_NAMESPACE is not set: this activator takes"
              + " every slot of every pod, which is right only when it is the only one");
      return Peers.ALONE;
    }
    String service = env.getOrDefault("KINETIC_ACTIVATOR_SERVICE", "kinetic-activator");
    return KubernetesPeers.start(client, namespace, service, ip);
  }

  public static void main(String[] args) throws Exception {
    // Netty straight into java.util.logging, as before the Kubernetes client's SLF4J provider was
    // on the class path: its per-request checks of a log level stay one call, not two.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    ActivatorSettings settings = ActivatorSettings.fromEnv(System.getenv());
    // The access log on standard output, one JSON object a line; the activator's own log goes to
    // standard error.
    AccessLog.printTo(System.out, "");
    ProbeSettings probing = ProbeSettings.fromEnv(System.getenv());
    Transport transport = NetworkTransport.fromEnv(System.getenv());
    // The clients of the autoscaler and of the pods' probes run on Vert.x; an activator that needs
    // neither (static routes, no autoscaler) does not start one, which saves its classes' memory.
    Lazy<Vertx> clients = new Lazy<>(() -> Vertx.builder().withTransport(transport).build());
    String staticRoutes = System.getenv("KINETIC_ACTIVATOR_ROUTES");
    RouteTable routes;
    Peers peers = Peers.ALONE;
    if (staticRoutes != null && !staticRoutes.isBlank()) {
      LocalRouteTable local = new LocalRouteTable();
      StaticRoutes.parse(staticRoutes).forEach(local::put);
      routes = local;
    } else {
      // In a cluster: in-cluster service account, or KUBECONFIG outside one.
      KubernetesClient client = new KubernetesClientBuilder().build();
      // The platform limits are in the platform's namespace: the activator's own.
      routes = KubernetesRouteTable.start(client, System.getenv("KINETIC_ACTIVATOR_NAMESPACE"));
      if (probing.enabled()) {
        routes = ProbingRouteTable.overNetwork(clients.get(), routes, probing);
      }
      peers = peers(client, System.getenv());
    }
    // On a cluster the operator's autoscaler receives demand; without one (a single machine with
    // static routes) there is nobody to ask for pods, and the demand is only logged.
    String autoscaler = System.getenv("KINETIC_ACTIVATOR_AUTOSCALER_URL");
    DemandSignal demand =
        autoscaler == null || autoscaler.isBlank()
            ? (key, waiting, seenPods) ->
                LOG.info(() -> "demand for " + key + ": " + waiting + " waiting")
            : new HttpDemandSignal(clients.get(), URI.create(autoscaler), DEMAND_TIMEOUT);
    Activator activator =
        Activator.start(
                transport.implementation(), settings, routes, demand, peers, System::nanoTime)
            .get(30, TimeUnit.SECONDS);
    LOG.info(
        () ->
            "activator listening on "
                + activator.port()
                + (activator.publicPort() < 0 ? "" : ", public on " + activator.publicPort())
                + ", admin on "
                + activator.adminPort());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  activator.drain().await();
                  clients.ifPresent(vertx -> vertx.close().await());
                },
                "activator-drain"));
    // Every event loop runs on a daemon thread: the process lives until a signal ends it, and the
    // hook above drains before it exits.
    Thread.currentThread().join();
  }

  /** A value made on first use, once (only from the main thread). */
  private static final class Lazy<T> {
    private final Supplier<T> make;
    private T value;

    Lazy(Supplier<T> make) {
      this.make = make;
    }

    T get() {
      if (value == null) {
        value = make.get();
      }
      return value;
    }

    void ifPresent(Consumer<T> action) {
      if (value != null) {
        action.accept(value);
      }
    }
  }
}
