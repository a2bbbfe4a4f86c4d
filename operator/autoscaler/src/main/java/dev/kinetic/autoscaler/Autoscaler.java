package dev.kinetic.autoscaler;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The autoscaler's loop, the same on a cluster and in local mode: every {@link #tick()} records one
 * concurrency sample per function and, every {@code decideEvery} ticks, decides each function's
 * replicas, applies the platform's total cap, and hands every change to the backend. A demand
 * signal for a function at zero acts at once, between ticks.
 *
 * <p>Thread-safe: ticks, demand signals and spec updates may come from different threads; one lock
 * serializes them (a tick of 10,000 functions holds it for about 20 ms, see docs/benchmarks.md).
 */
public final class Autoscaler<K> {
  private final ScalingPolicy policy;
  private final ConcurrencySource<K> source;
  private final ScaleBackend<K> backend;
  private final Clock clock;
  private final int decideEvery;
  private final Map<K, FunctionScaler> scalers = new HashMap<>();
  private final Map<K, ScalingSpec> specs = new HashMap<>();
  private OptionalInt totalCap = OptionalInt.empty();
  private long ticks;

  /**
   * @param decideEvery decide on every n-th tick; ticks in between only record samples
   */
  public Autoscaler(
      ScalingPolicy policy,
      ConcurrencySource<K> source,
      ScaleBackend<K> backend,
      Clock clock,
      int decideEvery) {
    if (decideEvery < 1) {
      throw new IllegalArgumentException("decideEvery must be at least 1, got " + decideEvery);
    }
    this.policy = policy;
    this.source = source;
    this.backend = backend;
    this.clock = clock;
    this.decideEvery = decideEvery;
  }

  /**
   * The functions to scale and their parameters: new ones start being tracked (their creation
   * counts as activity, so none goes to zero at once), changed ones keep their history, and those
   * absent are forgotten.
   */
  public synchronized void track(Map<K, ScalingSpec> wanted) {
    Instant now = clock.instant();
    scalers.keySet().retainAll(wanted.keySet());
    specs.keySet().retainAll(wanted.keySet());
    for (Map.Entry<K, ScalingSpec> e : wanted.entrySet()) {
      FunctionScaler scaler = scalers.get(e.getKey());
      if (scaler == null) {
        scalers.put(e.getKey(), new FunctionScaler(policy, e.getValue(), now));
      } else if (!e.getValue().equals(specs.get(e.getKey()))) {
        scaler.update(e.getValue());
      }
      specs.put(e.getKey(), e.getValue());
    }
  }

  /** The platform's cap on pods over all functions; empty for none. */
  public synchronized void totalCap(OptionalInt cap) {
    this.totalCap = cap;
  }

  public synchronized boolean tracks(K function) {
    return scalers.containsKey(function);
  }

  public synchronized int tracked() {
    return scalers.size();
  }

  /** One sample, and on every {@code decideEvery}-th call a decision for every function. */
  public synchronized void tick() {
    Instant now = clock.instant();
    ticks++;
    // Missing data records nothing: the scalers then see their data go stale and hold.
    source
        .sample()
        .ifPresent(
            concurrency -> {
              for (Map.Entry<K, FunctionScaler> e : scalers.entrySet()) {
                e.getValue().record(now, concurrency.getOrDefault(e.getKey(), 0.0));
              }
            });
    if (ticks % decideEvery != 0) {
      return;
    }
    Map<K, Decision> wanted = new LinkedHashMap<>();
    Map<K, Integer> current = new HashMap<>();
    for (Map.Entry<K, FunctionScaler> e : scalers.entrySet()) {
      OptionalInt replicas = backend.currentReplicas(e.getKey());
      if (replicas.isEmpty()) {
        continue; // its Deployment does not exist yet: nothing to scale
      }
      current.put(e.getKey(), replicas.getAsInt());
      wanted.put(e.getKey(), e.getValue().decide(now, replicas.getAsInt()));
    }
    Map<K, Decision> granted =
        totalCap.isPresent() ? FleetCaps.apply(wanted, totalCap.getAsInt()) : wanted;
    for (Map.Entry<K, Decision> e : granted.entrySet()) {
      int from = current.get(e.getKey());
      if (e.getValue().replicas() != from) {
        backend.scale(e.getKey(), from, e.getValue());
      }
    }
  }

  /**
   * An activator holds {@code waiting} requests for a function with no ready pod it may use: start
   * what they need now, without waiting for the next decision ({@link FunctionScaler#demand}).
   *
   * @param seenPods ready pods the activator sees, none with a slot for it; 0 at zero
   * @return the decision applied; empty when the function is unknown or needs nothing more
   */
  public synchronized Optional<Decision> demand(K function, int waiting, int seenPods) {
    FunctionScaler scaler = scalers.get(function);
    if (scaler == null) {
      return Optional.empty();
    }
    OptionalInt replicas = backend.currentReplicas(function);
    if (replicas.isEmpty()) {
      return Optional.empty();
    }
    Optional<Decision> decision =
        scaler.demand(clock.instant(), waiting, replicas.getAsInt(), seenPods);
    decision.ifPresent(d -> backend.scale(function, replicas.getAsInt(), d));
    return decision;
  }
}
