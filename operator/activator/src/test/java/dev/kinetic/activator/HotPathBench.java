package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.Route;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The activator's per-request work outside Vert.x: finding the function and taking and returning a
 * slot. Run by {@code make bench-activator}; results in docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBench {
  private static final FunctionKey HELLO = new FunctionKey("default", "hello");
  private Gate gate;
  private ActivatorStats stats;
  private Gate statsGate;

  @Setup
  public void setUp() {
    gate = new Gate(1000, Shard.ALONE);
    FunctionKey key = new FunctionKey("default", "hello");
    gate.update(
        new Route(
            key,
            10,
            Duration.ofSeconds(30),
            List.of(
                new Endpoint("10.0.0.1", 8080),
                new Endpoint("10.0.0.2", 8080),
                new Endpoint("10.0.0.3", 8080),
                new Endpoint("10.0.0.4", 8080))));
  }

  /** The stats of one function with a route, as the activator keeps them. */
  @Setup
  public void setUpStats() {
    dev.kinetic.routes.LocalRouteTable routes = new dev.kinetic.routes.LocalRouteTable();
    routes.put(
        new Route(HELLO, 10, Duration.ofSeconds(30), List.of(new Endpoint("10.0.0.1", 8080))));
    Gates gates =
        new Gates(
            routes, ActivatorSettings.defaults(), Peers.ALONE, (k, w, s) -> {}, System::nanoTime);
    stats = new ActivatorStats(gates);
    statsGate = gates.get(HELLO);
    stats.responded(HELLO, statsGate, 200, 1); // the timer exists from here on, as after a first
  }

  /** Timing one answer in the response histogram, what every request's end does. */
  @Benchmark
  public void recordResponse() {
    stats.responded(HELLO, statsGate, 200, 12_345_678);
  }

  @Benchmark
  public Object routeByHost() throws Target.Invalid {
    return Target.of("hello.default.fn.local", "/orders?id=1", Hosts.DEFAULTS, key -> true);
  }

  @Benchmark
  public Object routeByPath() throws Target.Invalid {
    return Target.of("localhost", "/default/hello/orders?id=1", Hosts.DEFAULTS, key -> true);
  }

  /** Take a slot on the least-loaded of four pods and give it back: one request's throttle cost. */
  @Benchmark
  public void slotTakeAndRelease() {
    gate.admit(RELEASING);
  }

  /** The same with two threads on one function's gate: the lock under contention. */
  @Benchmark
  @Threads(2)
  public void slotTakeAndReleaseContended() {
    gate.admit(RELEASING);
  }

  /** Gives its slot back at once; the bench's pods are always ready. */
  private static final Gate.Waiter RELEASING =
      new Gate.Waiter() {
        @Override
        public void granted(Gate.Lease lease) {
          lease.release();
        }

        @Override
        public void unavailable(dev.kinetic.routes.Unavailable why) {
          throw new IllegalStateException("the bench's function is always available");
        }

        @Override
        public void gone() {
          throw new IllegalStateException("the bench's function is never deleted");
        }
      };
}
