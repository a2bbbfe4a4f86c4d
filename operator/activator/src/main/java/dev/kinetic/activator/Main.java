package dev.kinetic.activator;

import dev.kinetic.routes.KubernetesRouteTable;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.RouteTable;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The activator as a process. Routes come from the Kubernetes API (Functions and their
 * EndpointSlices), or, when {@code KINETIC_ACTIVATOR_ROUTES} is set, from that setting (see {@link
 * StaticRoutes}; benchmarks, single machines). Local mode embeds {@link Activator} instead.
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

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
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    // The autoscaler's receiver arrives with issue 7; until then demand is logged.
    DemandSignal demand =
        (key, waiting) -> LOG.info(() -> "demand for " + key + ": " + waiting + " waiting");
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
