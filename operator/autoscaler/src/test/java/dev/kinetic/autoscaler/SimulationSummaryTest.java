package dev.kinetic.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The table in docs/benchmarks.md: each trace replayed with the autoscaler and with the naive
 * policy (pods = ceil(concurrency now / target) every tick). Written to
 * target/benchmarks/autoscaler-simulation.md; the figures are reported, not asserted.
 */
class SimulationSummaryTest {
  private static final ScalingSpec SPEC = new ScalingSpec(0, 50, 10, Duration.ofSeconds(60));

  @Test
  void summarizeEveryTraceAgainstTheNaivePolicy() throws Exception {
    Map<String, IntToDoubleFunction> traces = new LinkedHashMap<>();
    traces.put("step 0→100 at 10 s", t -> t < 10 ? 0 : 100);
    traces.put("slow ramp 0→100 over 300 s", t -> Math.min(100, t / 3.0));
    traces.put("sine 10..90, period 300 s", t -> 50 + 40 * Math.sin(2 * Math.PI * t / 300.0));
    traces.put("spike 200 for 3 s over 5", t -> t >= 60 && t < 63 ? 200 : 5);
    traces.put("stops at 100 s", t -> t < 100 ? 20 : 0);
    traces.put("flapping 13/15 every 5 s", t -> (t / 5) % 2 == 0 ? 13 : 15);

    StringBuilder table = new StringBuilder();
    table.append(
        "| trace | policy | time to capacity s | seconds short | scale changes | peak pods |"
            + " pod-seconds used / needed |\n");
    table.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    for (Map.Entry<String, IntToDoubleFunction> trace : traces.entrySet()) {
      int start = trace.getKey().startsWith("step") ? 10 : 0;
      Simulation kpa = new Simulation(SPEC, 2, trace.getValue()).run(900);
      Simulation naive = new Simulation(SPEC, 2, trace.getValue()).naive().run(900);
      row(table, trace.getKey(), "autoscaler", kpa, start);
      row(table, trace.getKey(), "naive", naive, start);
      assertThat(kpa.replicas).hasSize(900);
    }
    Path out = Path.of("target", "benchmarks", "autoscaler-simulation.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.out.print(table);
  }

  private static void row(
      StringBuilder table, String trace, String policy, Simulation s, int start) {
    table.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %d | %d | %d | %.2f |%n",
            trace,
            policy,
            s.timeToCapacity(start),
            s.secondsShort(),
            s.scaleChanges,
            s.peakReplicas(),
            s.overProvisioning()));
  }
}
