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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;

/**
 * {@code make bench-fixed-rate}: what the activator adds to latency at a constant rate, measured
 * with vegeta (which keeps the rate whatever the latency, so queueing shows instead of hiding):
 * 1,000 requests/s for 30 s to {@code examples/slow?ms=100} (one warm process, min = max = 1),
 * straight to its port and through local mode's activator, in alternating rounds ({@code ROUNDS},
 * default 4) after a warm-up of each. The verdict is the median of the rounds' differences: on a
 * 2-core machine shared by vegeta, the activator and the function, one round's difference moves by
 * more than the goal, and a median is not carried by one slow round as a mean is. Usage: {@code
 * FixedRateBench <output.md> <repo root> <vegeta>}.
 */
public final class FixedRateBench {
  private static final int RATE = 1000;
  private static final Duration ROUND = Duration.ofSeconds(30);
  private static final String[] PERCENTILES = {"50th", "95th", "99th"};

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
            LocalObjects.NONE,
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
      int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "4"));
      List<String> rows = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      // added[p][round]: what the activator added at PERCENTILES[p] in that round.
      double[][] added = new double[PERCENTILES.length][rounds];
      for (int round = 0; round < rounds; round++) {
        JsonNode d = attack(vegeta, direct, ROUND);
        JsonNode t = attack(vegeta, through, ROUND);
        rows.add(row("straight to the process, round " + (round + 1), d));
        rows.add(row("through the activator, round " + (round + 1), t));
        failures.addAll(failures("straight to the process, round " + (round + 1), d));
        failures.addAll(failures("through the activator, round " + (round + 1), t));
        for (int p = 0; p < PERCENTILES.length; p++) {
          added[p][round] = ms(t, PERCENTILES[p]) - ms(d, PERCENTILES[p]);
        }
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
      if (!failures.isEmpty()) {
        out.append("\nFailed requests, as vegeta reports them:\n\n");
        failures.forEach(out::append);
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%nAdded by the activator, median of the %d rounds' differences (lowest to highest):"
                  + " p50 %s, p95 %s (goal ≤ 1 ms), p99 %s.%n",
              rounds,
              added(added[0]),
              added(added[1]),
              added(added[2])));
      System.out.print(out);
      Files.writeString(Path.of(args[0]), out.toString());
    } finally {
      platform.close();
    }
  }

  /** "+0.12 ms (−0.30 to +0.85)": the median of the rounds' differences and their range. */
  private static String added(double[] differences) {
    double[] sorted = differences.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return String.format(
        Locale.ROOT, "%+.2f ms (%+.2f to %+.2f)", median, sorted[0], sorted[n - 1]);
  }

  private static JsonNode attack(String vegeta, String url, Duration duration) throws Exception {
    return Vegeta.attack(vegeta, url, RATE, duration);
  }

  private static double ms(JsonNode report, String percentile) {
    return Vegeta.ms(report, percentile);
  }

  /** A row's answers other than 200 and its transport errors, one list item each. */
  private static List<String> failures(String what, JsonNode report) {
    List<String> lines = new ArrayList<>();
    report
        .path("status_codes")
        .properties()
        .forEach(
            code -> {
              if (!code.getKey().equals("200")) {
                lines.add(
                    String.format(
                        Locale.ROOT,
                        "- %s: %d answered %s%n",
                        what,
                        code.getValue().asLong(),
                        code.getKey().equals("0") ? "nothing (no response)" : code.getKey()));
              }
            });
    report.path("errors").forEach(e -> lines.add("- " + what + ": `" + e.asText() + "`\n"));
    return lines;
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
