package dev.kinetic.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a timed assertion: the packaged operator brings 500 Functions in one namespace to
 * their expected condition. It records how long that took and the operator's heap afterwards in
 * {@code target/benchmarks/operator-500-functions.txt}; docs/benchmarks.md quotes it.
 */
class ManyFunctionsIT {
  static final String NS = "it-many";
  static final int COUNT = 500;

  /** Generous: the figure is recorded, the bound only stops a stuck run. */
  static final Duration BOUND = Duration.ofMinutes(10);

  @Test
  void fiveHundredFunctionsAllReachTheirExpectedCondition() throws Exception {
    KubernetesClient admin = SharedApiServer.admin();
    ApiServer.createNamespace(admin, NS);
    OperatorProcess operator = SharedOperator.process();

    long start = System.nanoTime();
    for (int i = 0; i < COUNT; i++) {
      admin.resource(OperatorIT.function("fn-" + i, "example.com/fn:1", NS)).create();
    }
    long created = System.nanoTime();
    await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> settled(admin) == COUNT);
    long settled = System.nanoTime();

    assertThat(admin.apps().deployments().inNamespace(NS).list().getItems()).hasSize(COUNT);
    assertThat(admin.services().inNamespace(NS).list().getItems()).hasSize(2 * COUNT);
    assertThat(operator.isAlive()).isTrue();

    runGc(operator.pid());
    double heapMiB = heapUsedBytes(operator.httpPort()) / (1024.0 * 1024.0);
    String report =
        String.format(
            Locale.ROOT,
            "functions=%d create_s=%.1f all_settled_s=%.1f operator_heap_after_gc_mib=%.0f%n",
            COUNT,
            seconds(created - start),
            seconds(settled - start),
            heapMiB);
    System.out.print("BENCHMARK operator " + report);
    Path out = Path.of("target", "benchmarks", "operator-500-functions.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
  }

  /**
   * How many Functions have Ready with reason Deploying for their current generation: the expected
   * condition here, where no controller-manager runs to roll the Deployments out.
   */
  private static long settled(KubernetesClient admin) {
    List<Function> functions = admin.resources(Function.class).inNamespace(NS).list().getItems();
    return functions.stream()
        .filter(
            f ->
                f.getStatus() != null
                    && f.getMetadata().getGeneration().equals(f.getStatus().getObservedGeneration())
                    && f.getStatus().getConditions().stream().anyMatch(ManyFunctionsIT::deploying))
        .count();
  }

  private static boolean deploying(Condition c) {
    return "Ready".equals(c.getType()) && "Deploying".equals(c.getReason());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** A full GC first, so the figure is the live heap and not whatever garbage is pending. */
  private static void runGc(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").start();
    assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** The operator's own figure, from its Prometheus endpoint. */
  private static double heapUsedBytes(int port) throws IOException, InterruptedException {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
