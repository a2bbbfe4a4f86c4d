package dev.kinetic.autoscaler;

import dev.kinetic.autoscaler.ScalingSteps.Metric;
import dev.kinetic.autoscaler.ScalingSteps.Step;
import dev.kinetic.autoscaler.ScalingSteps.WindowLengths;
import dev.kinetic.autoscaler.ScalingSteps.Windows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * The scaling decision for one function, Knative-KPA style: the average concurrency over a stable
 * window sets the pod count (or the average requests per second, when the spec has a target for it
 * and that asks for more pods); when the short panic window shows at least {@code panicThreshold}
 * times the current capacity, it scales on the panic window and never down until the burst has been
 * over for a full stable window. Time is always passed in, so a test replays an hour of traffic in
 * milliseconds.
 *
 * <p>Not thread-safe: one owner (the autoscaler's loop) calls it.
 */
public final class FunctionScaler {
  /**
   * Samples kept at most: the longest window the CRD allows (1 h) at the default sample interval of
   * a second. A shorter interval shortens what a long window can look back on.
   */
  static final int MAX_SAMPLES = 3600;

  private final ScalingPolicy policy;
  private ScalingSpec spec;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ArrayDeque<Want> recentWants = new ArrayDeque<>();
  private Instant lastActive;
  private Instant lastSample;
  private Instant panicSince;
  private Instant lastPanicCondition;
  private Load floor = Load.NONE;
  private Instant floorAt;

  // Flat rather than holding the Load: a tracked function keeps up to a stable window of these.
  private record Sample(Instant at, double concurrency, double requestsPerSecond) {}

  private record Want(Instant at, int pods) {}

  /**
   * @param now creation counts as activity: a new function is not scaled to zero at once
   */
  public FunctionScaler(ScalingPolicy policy, ScalingSpec spec, Instant now) {
    this.policy = policy;
    this.spec = spec;
    this.lastActive = now;
  }

  public void update(ScalingSpec newSpec) {
    this.spec = newSpec;
  }

  /** One observation of the function's load, summed over all activators. */
  public void record(Instant at, Load load) {
    samples.addLast(new Sample(at, load.concurrency(), load.requestsPerSecond()));
    while (samples.size() > MAX_SAMPLES) {
      samples.removeFirst();
    }
    lastSample = at;
    if (load.active()) {
      lastActive = at;
    }
  }

  /**
   * The load summed over only some activators, the others' numbers missing: a lower bound. Not a
   * sample (the windows keep whole ones only, or their averages would read a traffic drop); while
   * the data is stale it may raise the scale, never lower it ({@link #decide}). Activity in it is
   * activity: the idle timeout counts from it.
   */
  public void recordFloor(Instant at, Load load) {
    floor = load;
    floorAt = at;
    if (load.active()) {
      lastActive = at;
    }
  }

  /**
   * An activator holds requests for this function and has no pod it may use: how many pods to start
   * now, without waiting for the next decision. At zero, what the requests need at the concurrency
   * target (they are concurrency; no rate can be known for a function that was idle). With pods,
   * only when the activator sees every one of them ready and none has a slot for it (its share of a
   * hard limit below the number of activators went to the others): one more, which may be its.
   * Otherwise empty: the queue shows in the concurrency samples, or a pod is already on its way.
   *
   * @param seenPods the ready pods the activator sees, none with a slot for it; 0 at zero
   */
  public Optional<Decision> demand(Instant now, int waiting, int currentReplicas, int seenPods) {
    lastActive = now;
    if (currentReplicas > 0) {
      return oneMoreForAStarvedActivator(now, waiting, currentReplicas, seenPods);
    }
    int wanted = clamp(Math.max(1, (int) Math.ceil(waiting / perPod())));
    // Scaling from zero is a burst by definition: the windows still hold the idle time before it,
    // so hold the new pods for a stable window as panic mode would.
    panicSince = now;
    lastPanicCondition = now;
    remember(now, wanted);
    return Optional.of(
        new Decision(
            wanted,
            false,
            waiting
                + (waiting == 1 ? " request" : " requests")
                + " waiting at zero pods: scaling to "
                + wanted
                + " now"));
  }

  private Optional<Decision> oneMoreForAStarvedActivator(
      Instant now, int waiting, int currentReplicas, int seenPods) {
    int wanted = clamp(currentReplicas + 1);
    if (seenPods < currentReplicas || wanted <= currentReplicas) {
      return Optional.empty();
    }
    remember(now, wanted);
    return Optional.of(
        new Decision(
            wanted,
            false,
            waiting
                + (waiting == 1 ? " request waits" : " requests wait")
                + " at an activator with no slot on the "
                + seenPods
                + " ready pods (their hard limit went to other activators): scaling to "
                + wanted));
  }

  public Decision decide(Instant now, int currentReplicas) {
    if (lastSample == null
        || Duration.between(lastSample, now).compareTo(policy.staleAfter()) > 0) {
      Optional<Decision> up = upToTheFloor(now, currentReplicas);
      if (up.isPresent()) {
        return up.get();
      }
      // Missing data is not zero traffic: never scale down on it.
      return new Decision(
          clamp(currentReplicas),
          panicSince != null,
          "no fresh concurrency data (last "
              + (lastSample == null
                  ? "never"
                  : Duration.between(lastSample, now).toSeconds() + " s ago")
              + "): holding "
              + currentReplicas);
    }
    List<Windows> windows = readWindows(now);
    boolean panic =
        panicState(now, ScalingSteps.burst(windows, currentReplicas, policy.panicThreshold()));
    Step step =
        ScalingSteps.wanted(
            windows, panic, currentReplicas, new WindowLengths(spec.window(), panicWindow()));
    // What the windows want is remembered before it is held or limited: the delay looks back on it.
    remember(now, step.desired());
    Duration idle = Duration.between(lastActive, now);
    boolean idleLongEnough = idle.compareTo(spec.idleTimeout()) >= 0;
    step =
        ScalingSteps.scaleDownDelay(
            step, currentReplicas, recentMax(now), idleLongEnough, spec.scaleDownDelay());
    step = ScalingSteps.rateLimits(step, currentReplicas, policy);
    step = ScalingSteps.zeroWhenIdle(step, currentReplicas, idle, spec.idleTimeout());
    step = ScalingSteps.bounds(step, spec.min(), spec.max());
    return new Decision(step.desired(), panic, step.why());
  }

  /**
   * While whole samples are missing but some activators still answer: the pods their load alone
   * needs, if that is more than there are (within the scale-up rate and the bounds). The rest of
   * the load is unknown, so this can only add pods; what the windows decide resumes with whole
   * samples, and the scale-down delay then looks back on this want too.
   */
  private Optional<Decision> upToTheFloor(Instant now, int currentReplicas) {
    if (floorAt == null || Duration.between(floorAt, now).compareTo(policy.staleAfter()) > 0) {
      return Optional.empty();
    }
    int pods = (int) Math.ceil(floor.concurrency() / perPod());
    if (spec.targetRequestsPerSecond() > 0) {
      pods =
          Math.max(
              pods,
              (int)
                  Math.ceil(
                      floor.requestsPerSecond()
                          / (spec.targetRequestsPerSecond() * spec.utilization())));
    }
    if (pods <= currentReplicas) {
      return Optional.empty();
    }
    Step step =
        new Step(
            pods,
            "some activators' numbers missing; the others' alone (concurrency "
                + Math.round(floor.concurrency() * 10) / 10.0
                + ") need "
                + pods);
    step = ScalingSteps.rateLimits(step, currentReplicas, policy);
    step = ScalingSteps.bounds(step, spec.min(), spec.max());
    if (step.desired() <= currentReplicas) {
      return Optional.empty();
    }
    remember(now, step.desired());
    return Optional.of(new Decision(step.desired(), panicSince != null, step.why()));
  }

  /**
   * Drops samples older than the stable window and averages both windows of each metric with a
   * target: concurrency always, requests per second when the spec sets a target for it. One pass
   * over the samples for all four averages: the leader does this for every function every tick.
   */
  private List<Windows> readWindows(Instant now) {
    Instant stableStart = now.minus(spec.window());
    while (!samples.isEmpty() && samples.peekFirst().at().isBefore(stableStart)) {
      samples.removeFirst();
    }
    Instant panicStart = now.minus(panicWindow());
    Sums stable = new Sums();
    Sums panic = new Sums();
    // Newest first, as the sums always were: the same samples give the same pods to the last bit.
    for (var it = samples.descendingIterator(); it.hasNext(); ) {
      Sample s = it.next();
      stable.add(s);
      if (!s.at().isBefore(panicStart)) {
        panic.add(s);
      }
    }
    Windows concurrency =
        new Windows(
            Metric.CONCURRENCY,
            stable.average(stable.concurrency),
            panic.average(panic.concurrency),
            spec.target(),
            spec.utilization());
    if (spec.targetRequestsPerSecond() == 0) {
      return List.of(concurrency);
    }
    return List.of(
        concurrency,
        new Windows(
            Metric.REQUESTS_PER_SECOND,
            stable.average(stable.requestsPerSecond),
            panic.average(panic.requestsPerSecond),
            spec.targetRequestsPerSecond(),
            spec.utilization()));
  }

  /** Running sums of one window's samples; no samples average to zero. */
  private static final class Sums {
    double concurrency;
    double requestsPerSecond;
    int count;

    void add(Sample s) {
      concurrency += s.concurrency();
      requestsPerSecond += s.requestsPerSecond();
      count++;
    }

    double average(double sum) {
      return count == 0 ? 0 : sum / count;
    }
  }

  /**
   * Panic starts with a burst and ends a full stable window after the last one, so the pods a burst
   * brought are not let go while it may come back.
   */
  private boolean panicState(Instant now, boolean burst) {
    if (burst) {
      lastPanicCondition = now;
      if (panicSince == null) {
        panicSince = now;
      }
    } else if (panicSince != null
        && Duration.between(lastPanicCondition, now).compareTo(spec.window()) >= 0) {
      panicSince = null;
    }
    return panicSince != null;
  }

  private void remember(Instant now, int wanted) {
    recentWants.addLast(new Want(now, wanted));
    Instant oldest = now.minus(spec.scaleDownDelay());
    while (!recentWants.isEmpty() && recentWants.peekFirst().at().isBefore(oldest)) {
      recentWants.removeFirst();
    }
    while (recentWants.size() > MAX_SAMPLES) {
      recentWants.removeFirst();
    }
  }

  private int recentMax(Instant now) {
    Instant oldest = now.minus(spec.scaleDownDelay());
    int max = 0;
    for (Want w : recentWants) {
      if (!w.at().isBefore(oldest)) {
        max = Math.max(max, w.pods());
      }
    }
    return max;
  }

  /** Tracked state in bytes, roughly: for the memory-per-function benchmark. */
  int samplesHeld() {
    return samples.size();
  }

  /** The policy's, within the function's window: a 6 s window has no shorter one inside it. */
  private Duration panicWindow() {
    return policy.panicWindow().compareTo(spec.window()) < 0 ? policy.panicWindow() : spec.window();
  }

  private double perPod() {
    return spec.target() * spec.utilization();
  }

  private int clamp(int replicas) {
    return Math.max(spec.min(), Math.min(spec.max(), replicas));
  }
}
