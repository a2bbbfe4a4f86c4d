package dev.kinetic.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.api.Function;
import dev.kinetic.it.node.RealCluster;
import dev.kinetic.local.Vegeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;

/**
 * {@code make bench-cluster}: the platform on the real node (helm install, as in RealNodeIT), then
 * (1) cold requests: 20 Functions from examples/hello's image, each at zero, one request each,
 * timed from sending to the 200, beside the pod's own start (created to ready, seen by a watch) and
 * the bare JVM start of the same jar on the machine; (2) fixed-rate overhead: vegeta at a constant
 * rate to {@code slow?ms=100}, straight to its pod and through the activator's Service. Writes
 * Markdown to the file named by the first argument; the second names vegeta.
 */
public final class ClusterBench {
  private static final String SYSTEM_NS = "kinetic-system";
  private static final String NS = "default";
  private static final int COLD_RUNS = 20;
  private static final int RATE = 200;
  private static final Duration RATE_DURATION = Duration.ofSeconds(30);

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    Path output = Path.of(args[0]);
    String vegeta = args[1];
    StringBuilder out = new StringBuilder();
    try (RealCluster cluster = RealCluster.start();
        KubernetesClient client = cluster.adminClient()) {
      NodeCli.installPlatform(cluster, SYSTEM_NS);
      String activator =
          client
              .services()
              .inNamespace(SYSTEM_NS)
              .withName("kinetic-activator")
              .get()
              .getSpec()
              .getClusterIP();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

      Cold cold = coldRequests(cluster, client, http, activator);
      List<Double> bare = bareStarts(http);
      Rates rates = fixedRate(cluster, client, vegeta, activator);

      out.append(
          String.format(
              Locale.ROOT,
              "Measured %s with `make bench-cluster` on the real single-node cluster (kubelet,"
                  + " containerd, runc, kube-proxy; %d cores), the chart's defaults (2 activators"
                  + " on epoll), images already on the node.%n%n",
              LocalDate.now(),
              Runtime.getRuntime().availableProcessors()));
      out.append("| cold start of examples/hello | min ms | median ms | p90 ms |\n");
      out.append("| --- | --- | --- | --- |\n");
      row(out, "request at zero pods to its 200, through the activator", cold.request);
      row(out, "request sent to its pod created (watch events)", cold.toPod);
      row(out, "the pod: created to its address known", cold.podToAddress);
      row(out, "the pod: created to Ready", cold.pod);
      row(out, "bare JVM on the machine: process start to first 200", bare);
      out.append(
          String.format(
              Locale.ROOT,
              "%nFixed rate: %d requests/s for %d s to `slow?ms=100` (one pod, `hard: 50`), with"
                  + " vegeta:%n%n",
              RATE,
              RATE_DURATION.toSeconds()));
      out.append(
          "| path | p50 ms | p95 ms | p99 ms | success |\n| --- | --- | --- | --- | --- |\n");
      rateRow(out, "straight to the pod", rates.direct);
      rateRow(out, "through the activator's Service", rates.activator);
      out.append(
          String.format(
              Locale.ROOT,
              "%nThe activator adds %.2f ms at p50, %.2f ms at p95, %.2f ms at p99.%n",
              ms(rates.activator, "50th") - ms(rates.direct, "50th"),
              ms(rates.activator, "95th") - ms(rates.direct, "95th"),
              ms(rates.activator, "99th") - ms(rates.direct, "99th")));
    }
    System.out.print(out);
    Files.writeString(output, out.toString());
  }

  /**
   * Each cold request and its parts, in ms: the request to its 200; the request to its pod's
   * creation (demand signal, autoscaler, Deployment and ReplicaSet controllers); the pod's creation
   * to its address in the status (scheduling, the sandbox and its network, the kubelet's report);
   * and the pod's creation to Ready.
   */
  private record Cold(
      List<Double> request, List<Double> toPod, List<Double> podToAddress, List<Double> pod) {}

  /** One Function per run, so each request meets a function at zero that has never run. */
  private static Cold coldRequests(
      RealCluster cluster, KubernetesClient client, HttpClient http, String activator)
      throws Exception {
    for (int i = 0; i < COLD_RUNS; i++) {
      NodeCli.apply(
          cluster,
          NS,
          """
          apiVersion: kinetic.dev/v1alpha1
          kind: Function
          metadata: {name: cold-%d}
          spec:
            image: ghcr.io/kinetic-dev/examples/hello:0.1.0
            scale: {max: 1}
          """
              .formatted(i));
    }
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                client.resources(Function.class).inNamespace(NS).list().getItems().stream()
                        .filter(f -> f.getMetadata().getName().startsWith("cold-"))
                        .filter(Readiness::ready)
                        .count()
                    == COLD_RUNS);
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, Long> addressed = new ConcurrentHashMap<>();
    Map<String, Long> ready = new ConcurrentHashMap<>();
    List<Double> requests = new ArrayList<>();
    List<Double> toPods = new ArrayList<>();
    List<Double> addresses = new ArrayList<>();
    List<Double> pods = new ArrayList<>();
    try (Watch watch = client.pods().inNamespace(NS).watch(podTimes(created, addressed, ready))) {
      for (int i = 0; i < COLD_RUNS; i++) {
        String name = "cold-" + i;
        long start = System.nanoTime();
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://" + activator + "/" + NS + "/" + name + "/"))
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - start) / 1e6;
        if (answer.statusCode() != 200) {
          throw new IllegalStateException(
              name + " answered " + answer.statusCode() + ": " + answer.body());
        }
        requests.add(ms);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ready.containsKey(name));
        toPods.add((created.get(name) - start) / 1e6);
        addresses.add((addressed.get(name) - created.get(name)) / 1e6);
        pods.add((ready.get(name) - created.get(name)) / 1e6);
      }
    }
    return new Cold(requests, toPods, addresses, pods);
  }

  /**
   * Local arrival times of each function's first pod being created, having an address and turning
   * Ready.
   */
  private static Watcher<Pod> podTimes(
      Map<String, Long> created, Map<String, Long> addressed, Map<String, Long> ready) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        long now = System.nanoTime();
        String function = pod.getMetadata().getLabels().get(Function.FUNCTION_LABEL);
        if (function == null) {
          return;
        }
        created.putIfAbsent(function, now);
        if (pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
          addressed.putIfAbsent(function, now);
        }
        boolean isReady =
            pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (isReady) {
          ready.putIfAbsent(function, now);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  /** The same jar as the image, started by this JVM's java, to its first 200. */
  private static List<Double> bareStarts(HttpClient http) throws Exception {
    Path jar = Repository.root().resolve("examples/hello/target/function.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < COLD_RUNS; i++) {
      int port = freePort();
      ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-jar", jar.toString());
      pb.environment().put("PORT", Integer.toString(port));
      pb.environment().put("KINETIC_METRICS_PORT", "0");
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      long start = System.nanoTime();
      Process p = pb.start();
      try {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        long deadline = start + TimeUnit.SECONDS.toNanos(30);
        while (true) {
          try {
            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
              times.add((System.nanoTime() - start) / 1e6);
              break;
            }
          } catch (IOException notYet) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("hello did not answer within 30 s", notYet);
            }
            LockSupport.parkNanos(1_000_000);
          }
        }
      } finally {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
    return times;
  }

  private record Rates(JsonNode direct, JsonNode activator) {}

  private static Rates fixedRate(
      RealCluster cluster, KubernetesClient client, String vegeta, String activator)
      throws Exception {
    NodeCli.apply(
        cluster,
        NS,
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata: {name: steady}
        spec:
          image: ghcr.io/kinetic-dev/examples/slow:0.1.0
          concurrency: {hard: 50}
          scale: {min: 1, max: 1}
        """);
    Pod pod =
        Awaitility.await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    client
                        .pods()
                        .inNamespace(NS)
                        .withLabel(Function.FUNCTION_LABEL, "steady")
                        .list()
                        .getItems()
                        .stream()
                        .filter(Readiness::ready)
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    String direct = "http://" + pod.getStatus().getPodIP() + ":8080/?ms=100";
    String through = "http://" + activator + "/" + NS + "/steady/?ms=100";
    // Warm both paths (JIT, connections), then measure each.
    attack(vegeta, direct, Duration.ofSeconds(10));
    attack(vegeta, through, Duration.ofSeconds(10));
    return new Rates(attack(vegeta, direct, RATE_DURATION), attack(vegeta, through, RATE_DURATION));
  }

  private static JsonNode attack(String vegeta, String url, Duration duration) throws Exception {
    return Vegeta.attack(vegeta, url, RATE, duration);
  }

  private static double ms(JsonNode report, String percentile) {
    return Vegeta.ms(report, percentile);
  }

  private static void rateRow(StringBuilder out, String what, JsonNode report) {
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %.2f | %.2f | %.2f | %.4f |%n",
            what,
            ms(report, "50th"),
            ms(report, "95th"),
            ms(report, "99th"),
            report.path("success").asDouble()));
  }

  private static void row(StringBuilder out, String what, List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %.0f | %.0f | %.0f |%n",
            what,
            sorted.get(0),
            percentile(sorted, 0.5),
            percentile(sorted, 0.9)));
  }

  private static double percentile(List<Double> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
