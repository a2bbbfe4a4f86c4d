package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.Unavailable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One function's admission control: a slot throttle per pod (never more than the pod's slots in
 * flight from this activator) and one bounded FIFO queue for requests that find no free slot —
 * because the function has no ready pod yet, or because every pod is full.
 *
 * <p>Plain Java and thread-safe; callbacks run outside the lock, so a waiter may re-enter.
 */
final class Gate {
  /** Told once that it may go, unless it was cancelled first. */
  interface Waiter {
    void granted(Lease lease);

    /** No pod can start ({@link Unavailable}): the waiter was taken out of the queue. */
    void unavailable(Unavailable why);

    /** The function was deleted ({@link #close}): the waiter was taken out of the queue. */
    void gone();
  }

  enum Admission {
    GRANTED,
    /** Queued because the function has no ready pod: a cold start. */
    QUEUED_NO_POD,
    /** Queued because every ready pod has all its slots taken. */
    QUEUED_PODS_FULL,
    /**
     * Queued because no ready pod has a slot for this activator: the hard limit is below the number
     * of activators and the pods' slots went to the others. It waits for one more pod.
     */
    QUEUED_NO_SLOT,
    REJECTED,
    /** Not queued: no pod is ready and it is known that none can start ({@link #unavailable}). */
    UNAVAILABLE,
    /** Not queued: the function was deleted ({@link #close}). */
    GONE
  }

  private final int queueDepth;
  private final LongSupplier ticker;
  private final Duration refusedPause;
  private Shard shard;
  private int hard;
  private final LinkedHashSet<Waiter> queue = new LinkedHashSet<>();
  private final Map<Endpoint, Pod> pods = new LinkedHashMap<>();
  // The same pods in a list, for the hot path's round-robin scan without allocating.
  private final List<Pod> order = new ArrayList<>();
  // Pods that refused a connection, until when (ticker nanoseconds) they stay out of rotation.
  private final Map<Endpoint, Long> failed = new HashMap<>();
  // Pods gone from the route with requests still running on them, until those finish: a pod that
  // flaps not-ready and back (a readiness probe timing out under load) must come back with its
  // in-flight count, or it would be sent more than its limit (seen on the real node: 503
  // overloaded from a pod of hard limit 1 during a 200-request burst).
  private final Map<Endpoint, Pod> leaving = new HashMap<>();
  // Why no pod can start, while that is known; null otherwise.
  private Unavailable unavailable;
  // The function was deleted: nothing is admitted any more.
  private boolean closed;
  // Sum of the pods' in-flight counts, kept as they change: read on every admission.
  private int inFlight;
  private int rotor;
  private int peak;

  Gate(int queueDepth, Shard shard) {
    this(queueDepth, shard, System::nanoTime, PodLimits.DEFAULTS.refusedPause());
  }

  /**
   * @param ticker monotonic nanoseconds, for how long a failed pod stays out of rotation
   * @param refusedPause how long that is ({@link PodLimits#refusedPause()})
   */
  Gate(int queueDepth, Shard shard, LongSupplier ticker, Duration refusedPause) {
    this.queueDepth = queueDepth;
    this.shard = shard;
    this.ticker = ticker;
    this.refusedPause = refusedPause;
  }

  /** How long a pod that refused a connection stays out of rotation. */
  Duration refusedPause() {
    return refusedPause;
  }

  /** Takes a slot now, or a place in the queue, or neither when the queue is full. */
  Admission admit(Waiter waiter) {
    Lease lease;
    synchronized (this) {
      if (closed) {
        return Admission.GONE;
      }
      Pod pod = pick();
      if (pod == null) {
        if (unavailable != null && readyCount() == 0) {
          return Admission.UNAVAILABLE;
        }
        if (queue.size() >= queueDepth) {
          return Admission.REJECTED;
        }
        queue.add(waiter);
        notePeak();
        // Decided under the lock: a pod turning ready a moment later must not relabel this wait.
        // A pod paused after a refused connection is still ready: waiting for it is no cold start.
        if (order.isEmpty()) {
          return Admission.QUEUED_NO_POD;
        }
        return hasSlots() ? Admission.QUEUED_PODS_FULL : Admission.QUEUED_NO_SLOT;
      }
      lease = take(pod);
      notePeak();
    }
    waiter.granted(lease);
    return Admission.GRANTED;
  }

  /** Removes a waiter that gave up. False when it was already granted (the grant stands). */
  synchronized boolean cancel(Waiter waiter) {
    return queue.remove(waiter);
  }

  /**
   * New endpoints or limits. Pods that stay keep their in-flight count; endpoints marked failed
   * come back into rotation, since the route now vouches for them again.
   */
  void update(Route route) {
    List<Grant> grants;
    List<Waiter> refused = List.of();
    Unavailable why;
    synchronized (this) {
      hard = route.hardConcurrency();
      unavailable = why = route.unavailable().orElse(null);
      Map<Endpoint, Pod> next = new LinkedHashMap<>();
      for (Endpoint endpoint : route.ready()) {
        Pod pod = pods.get(endpoint);
        if (pod == null) {
          pod = leaving.remove(endpoint);
        }
        next.put(endpoint, pod != null ? pod : new Pod(endpoint));
      }
      for (Pod old : pods.values()) {
        if (!next.containsKey(old.endpoint) && old.inFlight > 0) {
          leaving.put(old.endpoint, old);
        }
      }
      pods.clear();
      pods.putAll(next);
      order.clear();
      order.addAll(next.values());
      failed.clear();
      share();
      grants = grantWaiting();
      if (why != null && readyCount() == 0 && !queue.isEmpty()) {
        // Waiting for a pod that cannot start: answer them now, not at their timeout.
        refused = new ArrayList<>(queue);
        queue.clear();
      }
    }
    deliver(grants);
    for (Waiter waiter : refused) {
      waiter.unavailable(why);
    }
  }

  /**
   * The function was deleted: what waits is answered now instead of at its deadline (the function's
   * timeout, up to minutes), and nothing more is admitted, including a request that found the route
   * a moment before. What runs holds its slot until it ends.
   */
  void close() {
    List<Waiter> waiting;
    synchronized (this) {
      closed = true;
      waiting = new ArrayList<>(queue);
      queue.clear();
    }
    for (Waiter waiter : waiting) {
      waiter.gone();
    }
  }

  /** The activators in front of the function changed: take this one's new share of each pod. */
  void reshard(Shard next) {
    List<Grant> grants;
    synchronized (this) {
      shard = next;
      share();
      grants = grantWaiting();
    }
    deliver(grants);
  }

  /**
   * Several activators share each pod: each takes its part of the pod's slots, so that together
   * they never send a pod more than its hard limit. A pod's in-flight count may stay above a share
   * that just shrank; it then takes nothing new until it is below.
   */
  private void share() {
    for (Pod pod : order) {
      pod.slots = shard.slots(hard, pod.endpoint);
    }
  }

  /**
   * Requests wait, pods are ready, and none has a slot for this activator: only one more pod can
   * serve them. The autoscaler is told so ({@link DemandSignal}).
   */
  synchronized boolean starved() {
    return !queue.isEmpty() && readyCount() > 0 && usableCount() == 0;
  }

  /**
   * Requests wait that only a pod not there yet can serve: no pod is in the route, or none has a
   * slot for this activator. Not when pods are merely full, or paused after a refused connection.
   */
  synchronized boolean waitsForAPod() {
    return !queue.isEmpty() && (order.isEmpty() || !hasSlots());
  }

  /** Why no pod can start, as of the last route update (an UNAVAILABLE admission's reason). */
  synchronized Unavailable whyUnavailable() {
    return unavailable != null ? unavailable : new Unavailable("Unknown", "no pod can start");
  }

  /**
   * Takes an endpoint out of rotation for {@link #refusedPause()} after it refused a connection.
   * The caller calls {@link #retryFailed} once that time has passed, so requests that queued
   * meanwhile get the pod back without waiting for a route update.
   */
  synchronized void markFailed(Endpoint endpoint) {
    failed.put(endpoint, ticker.getAsLong() + refusedPause.toNanos());
  }

  /** Puts back in rotation the pods whose pause is over, and grants waiters a slot on them. */
  void retryFailed() {
    List<Grant> grants;
    synchronized (this) {
      if (!expireFailed()) {
        return;
      }
      grants = grantWaiting();
    }
    deliver(grants);
  }

  /** Drops the failed marks whose pause is over; true when any was. Lock held. */
  private boolean expireFailed() {
    if (failed.isEmpty()) {
      return false;
    }
    long now = ticker.getAsLong();
    return failed.values().removeIf(until -> now - until >= 0);
  }

  /**
   * The time {@link #isFailed} compares pauses with, read once per scan of the pods, and only while
   * some pod is paused: not on the hot path. Lock held.
   */
  private long pauseClock() {
    return failed.isEmpty() ? 0 : ticker.getAsLong();
  }

  /** Lock held; {@code now} from {@link #pauseClock()}. */
  private boolean isFailed(Endpoint endpoint, long now) {
    if (failed.isEmpty()) {
      return false;
    }
    Long until = failed.get(endpoint);
    if (until == null) {
      return false;
    }
    if (now - until >= 0) {
      failed.remove(endpoint);
      return false;
    }
    return true;
  }

  /** The function's hard limit per pod, over all activators (0: none). */
  synchronized int hard() {
    return hard;
  }

  synchronized int readyPods() {
    return readyCount();
  }

  private int readyCount() {
    int ready = 0;
    long now = pauseClock();
    for (Pod pod : order) {
      if (!isFailed(pod.endpoint, now)) {
        ready++;
      }
    }
    return ready;
  }

  /** Ready pods with at least one slot for this activator. */
  private int usableCount() {
    int usable = 0;
    long now = pauseClock();
    for (Pod pod : order) {
      if (pod.slots > 0 && !isFailed(pod.endpoint, now)) {
        usable++;
      }
    }
    return usable;
  }

  /** Some pod, paused or not, has a slot for this activator. Lock held. */
  private boolean hasSlots() {
    for (Pod pod : order) {
      if (pod.slots > 0) {
        return true;
      }
    }
    return false;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  synchronized int queued() {
    return queue.size();
  }

  /**
   * Current concurrency (in flight + queued) and its peak since the last sample; resets the peak.
   */
  synchronized int[] sample() {
    int current = inFlight + queue.size();
    int sampledPeak = Math.max(peak, current);
    peak = current;
    return new int[] {current, sampledPeak};
  }

  private void release(Pod pod) {
    List<Grant> grants;
    synchronized (this) {
      pod.inFlight--;
      inFlight--;
      if (pod.inFlight == 0 && leaving.get(pod.endpoint) == pod) {
        leaving.remove(pod.endpoint);
      }
      grants = grantWaiting();
    }
    deliver(grants);
  }

  /** Least-loaded pod with a free slot; ties go round-robin so equal pods share the load. */
  private Pod pick() {
    Pod best = null;
    int n = order.size();
    if (n == 0) {
      return null;
    }
    long now = pauseClock();
    for (int i = 0; i < n; i++) {
      Pod pod = order.get((rotor + i) % n);
      boolean free = pod.inFlight < pod.slots;
      if (free && !isFailed(pod.endpoint, now) && (best == null || pod.inFlight < best.inFlight)) {
        best = pod;
      }
    }
    rotor = (rotor + 1) % n;
    return best;
  }

  private Lease take(Pod pod) {
    pod.inFlight++;
    inFlight++;
    return new Lease(this, pod);
  }

  /** Oldest first, while slots are free. Called with the lock held; delivered after. */
  private List<Grant> grantWaiting() {
    List<Grant> grants = new ArrayList<>();
    Iterator<Waiter> oldest = queue.iterator();
    while (oldest.hasNext()) {
      Pod pod = pick();
      if (pod == null) {
        break;
      }
      Waiter waiter = oldest.next();
      oldest.remove();
      grants.add(new Grant(waiter, take(pod)));
    }
    return grants;
  }

  private static void deliver(List<Grant> grants) {
    for (Grant grant : grants) {
      grant.waiter.granted(grant.lease);
    }
  }

  private void notePeak() {
    int current = inFlight + queue.size();
    if (current > peak) {
      peak = current;
    }
  }

  private record Grant(Waiter waiter, Lease lease) {}

  private static final class Pod {
    final Endpoint endpoint;
    int inFlight;
    // This activator's share of the pod's hard limit (Shard.UNLIMITED without one).
    int slots;

    Pod(Endpoint endpoint) {
      this.endpoint = endpoint;
    }
  }

  /** One slot on one pod, held from choosing the pod until the response has been relayed. */
  static final class Lease {
    private final Gate gate;
    private final Pod pod;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Gate gate, Pod pod) {
      this.gate = gate;
      this.pod = pod;
    }

    Endpoint endpoint() {
      return pod.endpoint;
    }

    /** Frees the slot for the oldest waiter; safe to call more than once. */
    void release() {
      if (released.compareAndSet(false, true)) {
        gate.release(pod);
      }
    }
  }
}
