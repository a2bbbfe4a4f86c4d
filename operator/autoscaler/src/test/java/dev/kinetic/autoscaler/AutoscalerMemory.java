package dev.kinetic.autoscaler;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Heap the autoscaler holds per tracked function in steady state (full windows), measured as the
 * heap after a full GC with the fleet alive minus before it existed. Run by {@code make
 * bench-autoscaler}: {@code AutoscalerMemory <functions> <output.md>}.
 */
public final class AutoscalerMemory {
  private AutoscalerMemory() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    long before = usedAfterGc();
    AutoscalerBench.Fleet fleet = new AutoscalerBench.Fleet(n);
    for (int i = 0; i < 120; i++) {
      fleet.tick();
    }
    long after = usedAfterGc();
    if (fleet.autoscaler.tracked() != n) {
      throw new IllegalStateException("tracked " + fleet.autoscaler.tracked() + " of " + n);
    }
    // The fleet's input (the concurrency map) and its array backend are counted too: they are
    // what the operator's informer caches and scraper hold per function, roughly.
    String line =
        String.format(
            Locale.ROOT,
            "%d functions in steady state (120 ticks, full 60 s windows): %.1f MiB of heap, %.0f bytes"
                + " per function (JVM %s)",
            n,
            (after - before) / 1048576.0,
            (after - before) / (double) n,
            System.getProperty("java.version"));
    System.out.println(line);
    Files.writeString(Path.of(args[1]), line + "\n");
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
