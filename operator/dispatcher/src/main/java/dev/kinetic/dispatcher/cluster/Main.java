package dev.kinetic.dispatcher.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kinetic.dispatcher.HttpEventSender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The dispatcher as a process: {@link ClusterDispatcher} with the in-cluster service account (or
 * KUBECONFIG), events through the activator's Service, and an admin port with {@code /metrics},
 * {@code /healthz} and {@code /readyz}.
 */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) throws Exception {
    // From the process' start, so the JVM's own start-up counts too.
    java.time.Instant processStart =
        ProcessHandle.current().info().startInstant().orElse(java.time.Instant.now());
    DispatcherSettings settings = DispatcherSettings.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ClusterDispatcher dispatcher =
        ClusterDispatcher.start(
            client,
            settings,
            new HttpEventSender(settings.activator()),
            registry,
            Clock.systemUTC());
    HttpServer admin = HttpServer.create(new InetSocketAddress(settings.adminPort()), 16);
    admin.createContext("/metrics", x -> answer(x, 200, registry.scrape()));
    admin.createContext("/healthz", x -> answer(x, 200, "ok"));
    admin.createContext(
        "/readyz",
        x ->
            answer(
                x,
                dispatcher.ready() ? 200 : 503,
                dispatcher.ready() ? "ok" : "caches not filled yet"));
    admin.start();
    LOG.info(
        () ->
            String.format(
                "dispatcher %s started in %d ms: events to %s, admin on %d, lease %s/%s",
                settings.identity(),
                java.time.Duration.between(processStart, java.time.Instant.now()).toMillis(),
                settings.activator(),
                settings.adminPort(),
                settings.namespace(),
                settings.lease()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // SIGTERM: stop firing, write the last status, release the Lease, so another
                  // replica leads at once instead of after the lease duration.
                  dispatcher.close();
                  admin.stop(0);
                  client.close();
                  stopped.countDown();
                },
                "kinetic-dispatcher-stop"));
    stopped.await();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
