package dev.kinetic.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.activator.ActivatorSettings;
import dev.kinetic.routes.FunctionKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * {@code make bench-fixed-rate}: what the activator adds to latency at a constant rate, measured
 * with vegeta (which keeps the rate whatever the latency, so queueing shows instead of hiding):
 * 1,000 requests/s for 30 s to {@code examples/slow?ms=100} (one warm process, min = max = 1),
 * straight to its port and through local mode's activator, in two alternating rounds after a
 * warm-up of each. Usage: {@code FixedRateBench <output.md> <repo root> <vegeta>}.
 */
public final class FixedRateBench {
  private static final int RATE = 1000;
  private static final Duration ROUND = Duration.ofSeconds(30);

  private FixedRateBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[1]).toAbsolutePath().normalize();
    String vegeta = args[2];
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = root.resolve("examples/slow/target/function.jar");
    Path dir = Files.createTempDirectory("bench-fixed-rate");
    Files.writeString(
        dir.resolve("function.yaml"),
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata:
          name: steady
          annotations:
            kinetic.dev/local-command: "%s -XX:+UseSerialGC -jar %s"
        spec:
          image: example.com/steady:1
          timeoutSeconds: 30
          concurrency:
            hard: 500
          scale:
            min: 1
            max: 1
        """
            .formatted(java, jar));
    LocalPlatform platform =
        LocalPlatform.start(
            Manifests.load(dir, java),
            ActivatorSettings.defaults().withPorts(0, 0),
            Map.of(),
            Clock.systemUTC(),
            new PrintStream(new ByteArrayOutputStream()));
    try {
      FunctionKey key = new FunctionKey("default", "steady");
      int podPort =
          Awaitility.await()
              .atMost(Duration.ofMinutes(1))
              .until(() -> platform.pods(key).readyPorts(), ports -> !ports.isEmpty())
              .get(0);
      String direct = "http://127.0.0.1:" + podPort + "/?ms=100";
      String through = "http://127.0.0.1:" + platform.port() + "/default/steady/?ms=100";
      attack(vegeta, direct, Duration.ofSeconds(10));
      attack(vegeta, through, Duration.ofSeconds(10));
      List<String> rows = new ArrayList<>();
      double[] added = new double[3];
      for (int round = 1; round <= 2; round++) {
        JsonNode d = attack(vegeta, direct, ROUND);
        JsonNode t = attack(vegeta, through, ROUND);
        rows.add(row("straight to the process, round " + round, d));
        rows.add(row("through the activator, round " + round, t));
        added[0] += (ms(t, "50th") - ms(d, "50th")) / 2;
        added[1] += (ms(t, "95th") - ms(d, "95th")) / 2;
        added[2] += (ms(t, "99th") - ms(d, "99th")) / 2;
      }
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              Locale.ROOT,
              "Measured %s with `make bench-fixed-rate` on %d cores (%s): vegeta at %d requests/s"
                  + " for %d s per row to examples/slow?ms=100 in local mode (one warm process),"
                  + " rows in the order run, after 10 s of warm-up of each path.%n%n",
              LocalDate.now(),
              Runtime.getRuntime().availableProcessors(),
              System.getProperty("java.version"),
              RATE,
              ROUND.toSeconds()));
      out.append("| path | p50 ms | p95 ms | p99 ms | max ms | success |\n");
      out.append("| --- | --- | --- | --- | --- | --- |\n");
      rows.forEach(out::append);
      out.append(
          String.format(
              Locale.ROOT,
              "%nAdded by the activator (mean of the two rounds' differences): p50 %+.2f ms,"
                  + " p95 %+.2f ms (goal ≤ 1 ms), p99 %+.2f ms.%n",
              added[0],
              added[1],
              added[2]));
      System.out.print(out);
      Files.writeString(Path.of(args[0]), out.toString());
    } finally {
      platform.close();
    }
  }

  private static JsonNode attack(String vegeta, String url, Duration duration) throws Exception {
    return Vegeta.attack(vegeta, url, RATE, duration);
  }

  private static double ms(JsonNode report, String percentile) {
    return Vegeta.ms(report, percentile);
  }

  private static String row(String what, JsonNode report) {
    return String.format(
        Locale.ROOT,
        "| %s | %.2f | %.2f | %.2f | %.2f | %.4f |%n",
        what,
        ms(report, "50th"),
        ms(report, "95th"),
        ms(report, "99th"),
        ms(report, "max"),
        report.path("success").asDouble());
  }
}
