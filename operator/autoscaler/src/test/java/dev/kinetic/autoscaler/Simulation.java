package dev.kinetic.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;

/**
 * Replays a traffic trace in virtual time, one step per simulated second: the activators report the
 * trace's concurrency (in flight + queued), a function at zero with waiting requests sends a demand
 * signal, the autoscaler decides every {@link #TICK_SECONDS}, and new pods are ready after a
 * start-up delay.
 */
final class Simulation {
  static final int TICK_SECONDS = 2;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final ScalingSpec spec;
  private final int startupSeconds;
  private final IntToDoubleFunction traffic;
  private IntToDoubleFunction rate = t -> 0;
  private IntPredicate statsAvailable = t -> true;
  private boolean naive;

  final List<Integer> replicas = new ArrayList<>();
  final List<Integer> ready = new ArrayList<>();
  final List<Double> concurrency = new ArrayList<>();
  final List<String> reasons = new ArrayList<>();
  int scaleChanges;

  Simulation(ScalingSpec spec, int startupSeconds, IntToDoubleFunction traffic) {
    this.spec = spec;
    this.startupSeconds = startupSeconds;
    this.traffic = traffic;
  }

  /** Requests per second the activators report each second (none unless given). */
  Simulation rate(IntToDoubleFunction requestsPerSecond) {
    this.rate = requestsPerSecond;
    return this;
  }

  /** Seconds at which no activator's stats arrive (an activator restart, a network partition). */
  Simulation statsMissingWhen(IntPredicate missing) {
    this.statsAvailable = t -> !missing.test(t);
    return this;
  }

  /** The baseline policy: pods = ceil(concurrency now / target), every tick, nothing else. */
  Simulation naive() {
    this.naive = true;
    return this;
  }

  Simulation run(int seconds) {
    FunctionScaler scaler = new FunctionScaler(ScalingPolicy.defaults(), spec, T0);
    List<Integer> podStarts = new ArrayList<>();
    for (int i = 0; i < spec.min(); i++) {
      podStarts.add(-startupSeconds);
    }
    for (int t = 0; t < seconds; t++) {
      Instant now = T0.plusSeconds(t);
      double c = traffic.applyAsDouble(t);
      int current = podStarts.size();
      int target = current;
      String reason = null;
      if (naive) {
        if (t % TICK_SECONDS == 0) {
          target = Math.max(spec.min(), Math.min(spec.max(), (int) Math.ceil(c / spec.target())));
          reason = "naive";
        }
      } else {
        if (statsAvailable.test(t)) {
          scaler.record(now, new Load(c, rate.applyAsDouble(t)));
        }
        if (current == 0 && c > 0) {
          var demand = scaler.demand(now, (int) Math.ceil(c), current, 0);
          if (demand.isPresent()) {
            target = demand.get().replicas();
            reason = demand.get().reason();
          }
        } else if (t % TICK_SECONDS == 0) {
          Decision d = scaler.decide(now, current);
          target = d.replicas();
          reason = d.reason();
        }
      }
      if (target != current) {
        scaleChanges++;
        while (podStarts.size() < target) {
          podStarts.add(t);
        }
        while (podStarts.size() > target) {
          podStarts.remove(podStarts.size() - 1); // the newest goes first
        }
      }
      int t0 = t;
      replicas.add(podStarts.size());
      ready.add((int) podStarts.stream().filter(s -> s + startupSeconds <= t0).count());
      concurrency.add(c);
      reasons.add(reason);
    }
    return this;
  }

  /** Pods a second needs to serve its concurrency at the target, without headroom. */
  int needed(int t) {
    return (int) Math.ceil(concurrency.get(t) / spec.target());
  }

  /** Seconds from {@code from} until ready pods first reach what the traffic needs, or -1. */
  int timeToCapacity(int from) {
    for (int t = from; t < ready.size(); t++) {
      if (ready.get(t) >= needed(t)) {
        return t - from;
      }
    }
    return -1;
  }

  int peakReplicas() {
    return replicas.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** First second at or after {@code from} with no pod, or -1. */
  int firstZero(int from) {
    for (int t = from; t < replicas.size(); t++) {
      if (replicas.get(t) == 0) {
        return t;
      }
    }
    return -1;
  }

  /** Pod-seconds used / pod-seconds needed: 1.0 is exact, below 1 is under-provisioned. */
  double overProvisioning() {
    long used = replicas.stream().mapToLong(Integer::longValue).sum();
    long needed = 0;
    for (int t = 0; t < concurrency.size(); t++) {
      needed += needed(t);
    }
    return needed == 0 ? Double.NaN : (double) used / needed;
  }

  /** Seconds in which ready pods were fewer than needed. */
  int secondsShort() {
    int n = 0;
    for (int t = 0; t < ready.size(); t++) {
      if (ready.get(t) < needed(t)) {
        n++;
      }
    }
    return n;
  }

  static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
