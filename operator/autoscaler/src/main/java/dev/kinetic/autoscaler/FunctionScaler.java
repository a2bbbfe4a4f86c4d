package dev.kinetic.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The scaling decision for one function, Knative-KPA style: the average concurrency over a stable
 * window sets the pod count; when the short panic window shows at least {@code panicThreshold}
 * times the current capacity, it scales on the panic window and never down until the burst has been
 * over for a full stable window. Time is always passed in, so a test replays an hour of traffic in
 * milliseconds.
 *
 * <p>Not thread-safe: one owner (the autoscaler's loop) calls it.
 */
public final class FunctionScaler {
  /** Samples kept at most; the stable window at one sample a second needs 60. */
  static final int MAX_SAMPLES = 3600;

  private final ScalingPolicy policy;
  private ScalingSpec spec;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ArrayDeque<Sample> recentWants = new ArrayDeque<>();
  private Instant lastActive;
  private Instant lastSample;
  private Instant panicSince;
  private Instant lastPanicCondition;

  private record Sample(Instant at, double concurrency) {}

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

  /**
   * One observation: requests in flight plus queued, summed over all activators, averaged over the
   * last second.
   */
  public void record(Instant at, double concurrency) {
    samples.addLast(new Sample(at, Math.max(0, concurrency)));
    while (samples.size() > MAX_SAMPLES) {
      samples.removeFirst();
    }
    lastSample = at;
    if (concurrency > 0) {
      lastActive = at;
    }
  }

  /**
   * An activator holds requests for this function and has no pod it may use: how many pods to start
   * now, without waiting for the next decision. At zero, what the requests need. With pods, only
   * when the activator sees every one of them ready and none has a slot for it (its share of a hard
   * limit below the number of activators went to the others): one more, which may be its. Otherwise
   * empty: the queue shows in the concurrency samples, or a pod is already on its way.
   *
   * @param seenPods the ready pods the activator sees, none with a slot for it; 0 at zero
   */
  public java.util.Optional<Decision> demand(
      Instant now, int waiting, int currentReplicas, int seenPods) {
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
    return java.util.Optional.of(
        new Decision(
            wanted,
            false,
            waiting
                + (waiting == 1 ? " request" : " requests")
                + " waiting at zero pods: scaling to "
                + wanted
                + " now"));
  }

  private java.util.Optional<Decision> oneMoreForAStarvedActivator(
      Instant now, int waiting, int currentReplicas, int seenPods) {
    int wanted = clamp(currentReplicas + 1);
    if (seenPods < currentReplicas || wanted <= currentReplicas) {
      return java.util.Optional.empty();
    }
    remember(now, wanted);
    return java.util.Optional.of(
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
    Instant stableStart = now.minus(policy.stableWindow());
    while (!samples.isEmpty() && samples.peekFirst().at().isBefore(stableStart)) {
      samples.removeFirst();
    }
    double stable = average(stableStart);
    double panicked = average(now.minus(policy.panicWindow()));
    int wantStable = (int) Math.ceil(stable / perPod());
    int wantPanic = (int) Math.ceil(panicked / perPod());

    boolean burst = currentReplicas > 0 && wantPanic >= policy.panicThreshold() * currentReplicas;
    if (burst) {
      lastPanicCondition = now;
      if (panicSince == null) {
        panicSince = now;
      }
    } else if (panicSince != null
        && Duration.between(lastPanicCondition, now).compareTo(policy.stableWindow()) >= 0) {
      panicSince = null;
    }
    boolean panic = panicSince != null;

    int desired = panic ? Math.max(currentReplicas, wantPanic) : wantStable;
    String why =
        panic
            ? String.format(
                Locale.ROOT,
                "panic: %.1f concurrent over %d s for %d pods of target %.1f",
                panicked,
                policy.panicWindow().toSeconds(),
                currentReplicas,
                spec.target())
            : String.format(
                Locale.ROOT,
                "%.1f concurrent over %d s at target %.1f x %.0f%% utilization",
                stable,
                policy.stableWindow().toSeconds(),
                spec.target(),
                policy.utilization() * 100);

    remember(now, desired);
    boolean idleLongEnough = Duration.between(lastActive, now).compareTo(spec.idleTimeout()) >= 0;
    // The idle timeout is the user's word on when to reach zero; the delay does not extend it.
    if (desired < currentReplicas && !(desired == 0 && idleLongEnough)) {
      int recentMax = recentMax(now);
      if (recentMax > desired) {
        desired = Math.min(currentReplicas, recentMax);
        why +=
            "; holding "
                + desired
                + " wanted within the last "
                + policy.scaleDownDelay().toSeconds()
                + " s";
      }
    }
    if (desired > currentReplicas) {
      int cap = (int) Math.ceil(Math.max(1, currentReplicas) * policy.maxScaleUpRate());
      if (desired > cap) {
        desired = cap;
        why += "; scale-up rate limits this step to " + cap;
      }
    } else if (desired < currentReplicas) {
      int floor = (int) Math.floor(currentReplicas / policy.maxScaleDownRate());
      if (desired < floor) {
        desired = floor;
        why += "; scale-down rate limits this step to " + floor;
      }
    }
    if (desired == 0 && currentReplicas > 0) {
      Duration idle = Duration.between(lastActive, now);
      if (!idleLongEnough) {
        desired = 1;
        why +=
            "; idle "
                + idle.toSeconds()
                + " s of "
                + spec.idleTimeout().toSeconds()
                + " s: keeping 1";
      } else {
        why += "; idle for " + idle.toSeconds() + " s: scaling to zero";
      }
    }
    int bounded = clamp(desired);
    if (bounded != desired) {
      why += bounded > desired ? "; scale.min is " + spec.min() : "; scale.max is " + spec.max();
    }
    return new Decision(bounded, panic, why);
  }

  private void remember(Instant now, int wanted) {
    recentWants.addLast(new Sample(now, wanted));
    Instant oldest = now.minus(policy.scaleDownDelay());
    while (!recentWants.isEmpty() && recentWants.peekFirst().at().isBefore(oldest)) {
      recentWants.removeFirst();
    }
    while (recentWants.size() > MAX_SAMPLES) {
      recentWants.removeFirst();
    }
  }

  private int recentMax(Instant now) {
    Instant oldest = now.minus(policy.scaleDownDelay());
    int max = 0;
    for (Sample s : recentWants) {
      if (!s.at().isBefore(oldest)) {
        max = Math.max(max, (int) s.concurrency());
      }
    }
    return max;
  }

  /** Tracked state in bytes, roughly: for the memory-per-function benchmark. */
  int samplesHeld() {
    return samples.size();
  }

  private double perPod() {
    return spec.target() * policy.utilization();
  }

  private int clamp(int replicas) {
    return Math.max(spec.min(), Math.min(spec.max(), replicas));
  }

  /** Average over the samples since {@code from}; no samples there averages to zero. */
  private double average(Instant from) {
    double sum = 0;
    int n = 0;
    for (var it = samples.descendingIterator(); it.hasNext(); ) {
      Sample s = it.next();
      if (s.at().isBefore(from)) {
        break;
      }
      sum += s.concurrency();
      n++;
    }
    return n == 0 ? 0 : sum / n;
  }
}
