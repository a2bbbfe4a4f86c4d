package dev.kinetic.activator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The activator as a process with its routes from {@code KINETIC_ACTIVATOR_ROUTES} (see {@link
 * StaticRoutes}): for benchmarks and single machines. In a cluster the routes come from the
 * Kubernetes API instead; local mode embeds {@link Activator} with its own route table.
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) throws Exception {
    ActivatorSettings settings = ActivatorSettings.fromEnv(System.getenv());
    LocalRouteTable routes = new LocalRouteTable();
    StaticRoutes.parse(System.getenv("KINETIC_ACTIVATOR_ROUTES")).forEach(routes::put);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    // No autoscaler behind static routes: demand is only logged.
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
