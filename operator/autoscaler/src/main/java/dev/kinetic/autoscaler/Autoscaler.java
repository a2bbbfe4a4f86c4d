package dev.kinetic.autoscaler;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The autoscaler's loop, the same on a cluster and in local mode: every {@link #tick()} records one
 * load sample per function and, every {@code decideEvery} ticks, decides each function's replicas,
 * applies the platform's total cap, and hands every change to the backend. A demand signal for a
 * function at zero acts at once, between ticks.
 *
 * <p>Thread-safe: ticks, demand signals and spec updates may come from different threads. One lock
 * serializes the deciding (a tick of 10,000 functions holds it for about 20 ms, see
 * docs/benchmarks.md); the sample and the writes are made outside it.
 */
public final class Autoscaler<K> {
  private final ScalingPolicy policy;
  private final LoadSource<K> source;
  private final ScaleBackend<K> backend;
  private final Clock clock;
  private final int decideEvery;
  private final Map<K, FunctionScaler> scalers = new HashMap<>();
  private final Map<K, ScalingSpec> specs = new HashMap<>();
  // The number of each function's newest decision: a write that is not the newest is dropped.
  private final Map<K, Long> latest = new HashMap<>();
  // Each function's last write that landed: a change decided before that starts from what it set.
  private final Map<K, Change<K>> written = new HashMap<>();
  // Serializes one function's writes, which are made outside the lock.
  private final Map<K, Object> writeLocks = new ConcurrentHashMap<>();
  private OptionalInt totalCap = OptionalInt.empty();
  private long ticks;
  private long decisions;

  /**
   * @param decideEvery decide on every n-th tick; ticks in between only record samples
   */
  public Autoscaler(
      ScalingPolicy policy,
      LoadSource<K> source,
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
    latest.keySet().retainAll(wanted.keySet());
    written.keySet().retainAll(wanted.keySet());
    writeLocks.keySet().retainAll(wanted.keySet());
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

  /**
   * One sample, and on every {@code decideEvery}-th call a decision for every function. Decide,
   * then act: the sample (on a cluster, an HTTP scrape of every activator) is taken and the scale
   * writes are made outside the lock; only deciding, which does no I/O, holds it, so a demand
   * signal for a function at zero never waits behind a slow activator or another function's write.
   */
  public void tick() {
    apply(decide(source.read()));
  }

  /** Records the sample and, on a deciding tick, returns the changes to make. */
  private synchronized List<Change<K>> decide(Optional<LoadSource.Reading<K>> reading) {
    Instant now = clock.instant();
    ticks++;
    // Missing data records nothing: the scalers then see their data go stale and hold. A partial
    // sum is no sample either; each scaler keeps it as a floor it may scale up to while it holds.
    reading.ifPresent(
        r -> {
          for (Map.Entry<K, FunctionScaler> e : scalers.entrySet()) {
            Load load = r.loads().getOrDefault(e.getKey(), Load.NONE);
            if (r.complete()) {
              e.getValue().record(now, load);
            } else {
              e.getValue().recordFloor(now, load);
            }
          }
        });
    if (ticks % decideEvery != 0) {
      return List.of();
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
    List<Change<K>> changes = new ArrayList<>();
    for (Map.Entry<K, Decision> e : granted.entrySet()) {
      int from = current.get(e.getKey());
      if (e.getValue().replicas() != from) {
        changes.add(change(e.getKey(), from, e.getValue()));
      }
    }
    return changes;
  }

  /**
   * An activator holds {@code waiting} requests for a function with no ready pod it may use: start
   * what they need now, without waiting for the next decision ({@link FunctionScaler#demand}).
   *
   * @param seenPods ready pods the activator sees, none with a slot for it; 0 at zero
   * @return the decision applied; empty when the function is unknown or needs nothing more
   */
  public Optional<Decision> demand(K function, int waiting, int seenPods) {
    Change<K> change;
    synchronized (this) {
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
      if (decision.isEmpty()) {
        return Optional.empty();
      }
      change = change(function, replicas.getAsInt(), decision.get());
    }
    apply(List.of(change));
    return Optional.of(change.decision());
  }

  /** Called with the lock held: numbers the change, so that an older one cannot undo it. */
  private Change<K> change(K function, int from, Decision decision) {
    long number = ++decisions;
    latest.put(function, number);
    Change<K> last = written.get(function);
    return new Change<>(function, from, decision, number, last == null ? 0 : last.number());
  }

  /**
   * Makes the writes, outside the lock. One function's writes go one at a time, and a change that a
   * newer decision for the same function overtook while it waited is dropped: a demand's 0 → 4 and
   * a tick's 0 → 1 decided a moment apart must not land in the wrong order.
   */
  private void apply(List<Change<K>> changes) {
    for (Change<K> change : changes) {
      synchronized (writeLock(change.function())) {
        OptionalInt from = fromIfLatest(change);
        if (from.isPresent()) {
          backend.scale(change.function(), from.getAsInt(), change.decision());
          landed(change);
        }
      }
    }
  }

  private Object writeLock(K function) {
    return writeLocks.computeIfAbsent(function, f -> new Object());
  }

  /**
   * The replicas a change starts from, if it is still the function's newest (else empty: it is
   * dropped). Decided from a cache that had not yet seen an earlier write (two demands a moment
   * apart both see zero), it starts from what that write set, so that the backend's words ("scaled
   * from 2 to 3") are not "from 0" twice.
   */
  private synchronized void landed(Change<K> change) {
    written.put(change.function(), change);
  }

  private synchronized OptionalInt fromIfLatest(Change<K> change) {
    Long newest = latest.get(change.function());
    if (newest == null || newest != change.number()) {
      return OptionalInt.empty();
    }
    Change<K> last = written.get(change.function());
    boolean landedSince = last != null && last.number() != change.writtenBefore();
    return OptionalInt.of(landedSince ? last.decision().replicas() : change.from());
  }

  /** One decided scale, numbered in the order decisions were made. */
  /**
   * @param writtenBefore the number of the function's last write when this was decided (0: none)
   */
  private record Change<K>(
      K function, int from, Decision decision, long number, long writtenBefore) {}
}
