package dev.kinetic.activator;

import dev.kinetic.routes.KubernetesRouteTable;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.RouteTable;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

  public static void main(String[] args) throws Exception {
    ActivatorSettings settings = ActivatorSettings.fromEnv(System.getenv());
    String staticRoutes = System.getenv("KINETIC_ACTIVATOR_ROUTES");
    RouteTable routes;
    if (staticRoutes != null && !staticRoutes.isBlank()) {
      LocalRouteTable local = new LocalRouteTable();
      StaticRoutes.parse(staticRoutes).forEach(local::put);
      routes = local;
    } else {
      // In a cluster: in-cluster service account, or KUBECONFIG outside one.
      KubernetesClient client = new KubernetesClientBuilder().build();
      routes = KubernetesRouteTable.start(client);
    }
    Vertx vertx = NetworkTransport.vertx(System.getenv(), new VertxOptions());
    // On a cluster the operator's autoscaler receives demand; without one (a single machine with
    // static routes) there is nobody to ask for pods, and the demand is only logged.
    String autoscaler = System.getenv("KINETIC_ACTIVATOR_AUTOSCALER_URL");
    DemandSignal demand =
        autoscaler == null || autoscaler.isBlank()
            ? (key, waiting) -> LOG.info(() -> "demand for " + key + ": " + waiting + " waiting")
            : new HttpDemandSignal(vertx, URI.create(autoscaler), DEMAND_TIMEOUT);
    Activator activator =
        Activator.start(vertx, settings, routes, demand).await(30, TimeUnit.SECONDS);
    LOG.info(
        () -> "activator listening on " + activator.port() + ", admin on " + activator.adminPort());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  activator.drain().await();
                  vertx.close().await();
                },
                "activator-drain"));
  }
}
