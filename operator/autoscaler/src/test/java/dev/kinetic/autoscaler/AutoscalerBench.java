package dev.kinetic.autoscaler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One autoscaler tick (a sample and a decision for every function, the total cap applied) over
 * 10,000 functions in steady state: each holds a full 60 s stable window, and every other one has a
 * requests-per-second target as well as its concurrency target. Run by {@code make
 * bench-autoscaler}; results in docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AutoscalerBench {
  @Param("10000")
  public int functions;

  private Fleet fleet;

  @Setup
  public void setUp() {
    fleet = new Fleet(functions);
    // Fill every window: a minute of samples and decisions.
    for (int i = 0; i < 90; i++) {
      fleet.tick();
    }
  }

  @Benchmark
  public int tick() {
    fleet.tick();
    return fleet.replicas[0];
  }

  /** N functions with varied, steady traffic; the backend is an array. */
  static final class Fleet {
    final Autoscaler<Integer> autoscaler;
    final int[] replicas;
    private final TickingClock clock = new TickingClock();

    Fleet(int n) {
      replicas = new int[n];
      Map<Integer, Load> load = new HashMap<>();
      Map<Integer, ScalingSpec> specs = new HashMap<>();
      for (int i = 0; i < n; i++) {
        load.put(i, new Load(i % 50, (i % 50) * 20));
        // Every other function also has a requests-per-second target: two metrics to decide on.
        specs.put(
            i,
            new ScalingSpec(0, 100, 10, Duration.ofMinutes(5))
                .withRequestsPerSecond(i % 2 == 0 ? 150 : 0));
        replicas[i] = 1;
      }
      Optional<Map<Integer, Load>> sample = Optional.of(load);
      autoscaler =
          new Autoscaler<>(
              ScalingPolicy.defaults(),
              () -> sample,
              new ScaleBackend<>() {
                @Override
                public OptionalInt currentReplicas(Integer function) {
                  return OptionalInt.of(replicas[function]);
                }

                @Override
                public void scale(Integer function, int from, Decision decision) {
                  replicas[function] = decision.replicas();
                }
              },
              clock,
              1);
      autoscaler.track(specs);
      autoscaler.totalCap(OptionalInt.of(n * 100));
    }

    void tick() {
      clock.now = clock.now.plusSeconds(1);
      autoscaler.tick();
    }
  }

  static final class TickingClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
