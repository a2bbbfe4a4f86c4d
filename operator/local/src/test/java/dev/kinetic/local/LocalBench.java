package dev.kinetic.local;

import dev.kinetic.activator.ActivatorSettings;
import dev.kinetic.routes.FunctionKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code make bench-local}: (1) a cold request through local mode — a fresh platform with the
 * function at zero, from sending the request to the whole response — next to the bare cold start of
 * the same jar (process start to first 200), 20 each, alternating; (2) a burst of 200 at zero:
 * success rate, latency, peak pods and time back to zero. Writes a Markdown table to the file named
 * by the first argument.
 */
public final class LocalBench {
  private static final FunctionKey HELLO = new FunctionKey("default", "hello");

  private LocalBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = root.resolve("examples/hello/target/function.jar");
    Path slowJar = root.resolve("examples/slow/target/function.jar");
    int runs = 20;
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    List<Double> throughActivator = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      bare.add(bareColdStart(java, jar, client));
      throughActivator.add(coldThroughLocalMode(java, jar, client));
    }

    Burst burst = burst(java, slowJar, client);

    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Measured %s with `make bench-local` on %d cores (%s), %d runs each, alternating.%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            runs));
    out.append(
        "| cold start of examples/hello | min ms | median ms | p90 ms |\n| --- | --- | --- | --- |\n");
    row(out, "bare process: start to first 200", bare);
    row(out, "through local mode at zero: request to response", throughActivator);
    out.append(
        String.format(
            Locale.ROOT,
            "%nThe activator's share (median difference): %.1f ms.%n%n",
            median(throughActivator) - median(bare)));
    out.append(
        String.format(
            Locale.ROOT,
            "Burst of 200 concurrent requests at zero on examples/slow (100 ms each, hard 10, max 4): "
                + "%d/200 succeeded, latency p50 %.0f ms, p99 %.0f ms, peak %d pods, back to zero "
                + "%.0f s after the burst (idle timeout 5 s, stable window 60 s).%n",
            burst.ok,
            percentile(burst.latencies, 0.5),
            percentile(burst.latencies, 0.99),
            burst.peakPods,
            burst.secondsToZero));
    System.out.print(out);
    Files.writeString(Path.of(args[0]), out.toString());
  }

  private static double bareColdStart(String java, Path jar, HttpClient client) throws Exception {
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
            java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("KINETIC_METRICS_PORT", "0");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
      while (true) {
        try {
          if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return (System.nanoTime() - start) / 1e6;
          }
        } catch (java.io.IOException e) {
          LockSupport.parkNanos(1_000_000);
        }
      }
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static double coldThroughLocalMode(String java, Path jar, HttpClient client)
      throws Exception {
    LocalPlatform platform = platform(java, jar, "hello", 0, "60s");
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + platform.port() + "/default/hello/"))
              .build();
      long start = System.nanoTime();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      double ms = (System.nanoTime() - start) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException("cold request answered " + response.statusCode());
      }
      return ms;
    } finally {
      platform.close();
    }
  }

  private record Burst(int ok, List<Double> latencies, int peakPods, double secondsToZero) {}

  private static Burst burst(String java, Path jar, HttpClient client) throws Exception {
    LocalPlatform platform = platform(java, jar, "slow", 10, "5s");
    FunctionKey slow = new FunctionKey("default", "slow");
    try {
      URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/");
      List<CompletableFuture<Double>> replies = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long start = System.nanoTime();
        replies.add(
            client
                .sendAsync(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() == 200 ? (System.nanoTime() - start) / 1e6 : -1.0));
      }
      int ok = 0;
      int peak = 0;
      List<Double> latencies = new ArrayList<>();
      for (CompletableFuture<Double> reply : replies) {
        double ms = reply.get(120, TimeUnit.SECONDS);
        peak = Math.max(peak, platform.pods(slow).running());
        if (ms >= 0) {
          ok++;
          latencies.add(ms);
        }
      }
      long done = System.nanoTime();
      while (platform.pods(slow).running() > 0) {
        peak = Math.max(peak, platform.pods(slow).running());
        LockSupport.parkNanos(100_000_000);
        if (System.nanoTime() - done > TimeUnit.SECONDS.toNanos(300)) {
          break;
        }
      }
      return new Burst(ok, latencies, peak, (System.nanoTime() - done) / 1e9);
    } finally {
      platform.close();
    }
  }

  private static LocalPlatform platform(String java, Path jar, String name, int hard, String idle)
      throws Exception {
    Path dir = Files.createTempDirectory("bench-local");
    Files.writeString(
        dir.resolve("function.yaml"), TestManifests.function(name, jar, hard, 4, idle));
    Manifests.Loaded loaded = Manifests.load(dir, java);
    return LocalPlatform.start(
        loaded,
        ActivatorSettings.defaults().withPorts(0, 0),
        LocalObjects.NONE,
        Clock.systemUTC(),
        new PrintStream(new ByteArrayOutputStream()));
  }

  private static void row(StringBuilder out, String name, List<Double> sample) {
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %.1f |%n",
            name,
            percentile(sample, 0),
            median(sample),
            percentile(sample, 0.9)));
  }

  private static double median(List<Double> sample) {
    return percentile(sample, 0.5);
  }

  /** Nearest rank. */
  private static double percentile(List<Double> sample, double q) {
    List<Double> sorted = sample.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = Math.max(0, (int) Math.ceil(q * sorted.size()) - 1);
    return sorted.get(index);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
