package dev.kinetic.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.autoscaler.ScalingSteps.Metric;
import dev.kinetic.autoscaler.ScalingSteps.Step;
import dev.kinetic.autoscaler.ScalingSteps.WindowLengths;
import dev.kinetic.autoscaler.ScalingSteps.Windows;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each step of a decision on its own (defaults: 60 s / 6 s windows, 70 %, panic at 2x, 30 s delay).
 */
class ScalingStepsTest {
  private static final ScalingPolicy POLICY = ScalingPolicy.defaults();
  private static final Duration DELAY = ScalingSpec.DEFAULT_SCALE_DOWN_DELAY;
  private static final WindowLengths LENGTHS =
      new WindowLengths(ScalingSpec.DEFAULT_WINDOW, POLICY.panicWindow());
  private static final Step BASE = new Step(0, "base");

  /** Concurrency windows at target 10 and 70 % utilization: pods of 7. */
  private static Windows concurrency(double stable, double panic) {
    return new Windows(Metric.CONCURRENCY, stable, panic, 10, 0.7);
  }

  /** Requests-per-second windows at target 50 and 70 % utilization: pods of 35. */
  private static Windows rate(double stable, double panic) {
    return new Windows(Metric.REQUESTS_PER_SECOND, stable, panic, 50, 0.7);
  }

  private static Step step(int desired) {
    return new Step(desired, "base");
  }

  @Test
  void windowsCountPodsOfTheTargetAtItsUtilization() {
    Windows windows = concurrency(35, 71);
    assertThat(windows.stablePods()).isEqualTo(5);
    assertThat(windows.panicPods()).isEqualTo(11);
    assertThat(concurrency(0, 0).stablePods()).isZero();
  }

  @Test
  void aBurstIsThePanicWindowWantingTheThresholdTimesThePodsThereAre() {
    assertThat(ScalingSteps.burst(List.of(concurrency(0, 28)), 2, 2.0))
        .as("4 of 2: burst")
        .isTrue();
    assertThat(ScalingSteps.burst(List.of(concurrency(0, 27)), 2, 2.0))
        .as("27 rounds up to 4 pods")
        .isTrue();
    assertThat(ScalingSteps.burst(List.of(concurrency(0, 21)), 2, 2.0)).as("3 of 2").isFalse();
    assertThat(ScalingSteps.burst(List.of(concurrency(0, 700)), 0, 2.0))
        .as("at zero the demand signal acts, not panic")
        .isFalse();
  }

  @Test
  void inPanicThePanicWindowDecidesAndNeverBelowNow() {
    Windows windows = concurrency(7, 14);
    assertThat(ScalingSteps.wanted(windows, true, 5, LENGTHS).desired()).isEqualTo(5);
    assertThat(ScalingSteps.wanted(windows, true, 1, LENGTHS))
        .satisfies(s -> assertThat(s.desired()).isEqualTo(2))
        .satisfies(s -> assertThat(s.why()).startsWith("panic: 14.0 concurrent over 6 s"));
    assertThat(ScalingSteps.wanted(windows, false, 5, LENGTHS))
        .satisfies(s -> assertThat(s.desired()).isEqualTo(1))
        .satisfies(
            s ->
                assertThat(s.why())
                    .isEqualTo("7.0 concurrent over 60 s at target 10.0 x 70% utilization"));
  }

  @Test
  void withARateTargetTheMetricWantingMorePodsDecidesAndSaysSo() {
    // 14 concurrent want 2 pods of 7; 140 requests/s want 4 pods of 35.
    assertThat(ScalingSteps.wanted(List.of(concurrency(14, 14), rate(140, 140)), false, 1, LENGTHS))
        .isEqualTo(new Step(4, "140.0 requests/s over 60 s at target 50.0 x 70% utilization"));
    // A function that got slower: 70 concurrent (10 pods) at the same rate (4 pods).
    assertThat(
            ScalingSteps.wanted(List.of(concurrency(70, 70), rate(140, 140)), false, 1, LENGTHS)
                .why())
        .startsWith("70.0 concurrent");
    assertThat(
            ScalingSteps.wanted(List.of(concurrency(14, 14), rate(70, 70)), false, 1, LENGTHS)
                .why())
        .as("a tie: concurrency")
        .startsWith("14.0 concurrent");
    assertThat(ScalingSteps.wanted(List.of(concurrency(0, 7), rate(35, 350)), true, 2, LENGTHS))
        .isEqualTo(new Step(10, "panic: 350.0 requests/s over 6 s for 2 pods of target 50.0"));
  }

  @Test
  void aBurstOfRequestsPerSecondAloneIsABurst() {
    assertThat(ScalingSteps.burst(List.of(concurrency(0, 7), rate(0, 140)), 2, 2.0))
        .as("4 pods of requests/s for 2")
        .isTrue();
    assertThat(ScalingSteps.burst(List.of(concurrency(0, 7), rate(0, 105)), 2, 2.0)).isFalse();
  }

  @Test
  void theScaleDownDelayHoldsWhatWasWantedRecentlyButNotPastTheIdleTimeout() {
    assertThat(ScalingSteps.scaleDownDelay(step(2), 5, 4, false, DELAY))
        .isEqualTo(new Step(4, "base; holding 4 wanted within the last 30 s"));
    assertThat(ScalingSteps.scaleDownDelay(step(2), 3, 6, false, DELAY).desired())
        .as("never above the pods there are")
        .isEqualTo(3);
    assertThat(ScalingSteps.scaleDownDelay(step(2), 5, 2, false, DELAY)).isEqualTo(step(2));
    assertThat(ScalingSteps.scaleDownDelay(step(6), 5, 9, false, DELAY))
        .as("up is not held")
        .isEqualTo(step(6));
    assertThat(ScalingSteps.scaleDownDelay(step(0), 5, 4, true, DELAY))
        .as("idle long enough: zero is not delayed")
        .isEqualTo(step(0));
    assertThat(ScalingSteps.scaleDownDelay(step(0), 5, 4, false, DELAY).desired()).isEqualTo(4);
  }

  @Test
  void rateLimitsBoundEachStepUpAndDown() {
    ScalingPolicy slowUp =
        new ScalingPolicy(
            POLICY.panicWindow(),
            POLICY.panicThreshold(),
            2,
            POLICY.maxScaleDownRate(),
            POLICY.staleAfter());
    assertThat(ScalingSteps.rateLimits(step(9), 3, slowUp))
        .isEqualTo(new Step(6, "base; scale-up rate limits this step to 6"));
    assertThat(ScalingSteps.rateLimits(step(9), 0, slowUp).desired())
        .as("from zero, as from one")
        .isEqualTo(2);
    assertThat(ScalingSteps.rateLimits(step(1), 10, POLICY))
        .isEqualTo(new Step(5, "base; scale-down rate limits this step to 5"));
    assertThat(ScalingSteps.rateLimits(step(5), 10, POLICY)).isEqualTo(step(5));
    assertThat(ScalingSteps.rateLimits(step(0), 1, POLICY)).as("1 halves to 0").isEqualTo(step(0));
    assertThat(ScalingSteps.rateLimits(step(4), 4, POLICY)).isEqualTo(step(4));
  }

  @Test
  void zeroOnlyAfterTheIdleTimeoutElseOnePodStays() {
    Duration timeout = Duration.ofSeconds(30);
    assertThat(ScalingSteps.zeroWhenIdle(BASE, 2, Duration.ofSeconds(12), timeout))
        .isEqualTo(new Step(1, "base; idle 12 s of 30 s: keeping 1"));
    assertThat(ScalingSteps.zeroWhenIdle(BASE, 1, Duration.ofSeconds(30), timeout))
        .isEqualTo(new Step(0, "base; idle for 30 s: scaling to zero"));
    assertThat(ScalingSteps.zeroWhenIdle(BASE, 0, Duration.ZERO, timeout))
        .as("already at zero")
        .isEqualTo(BASE);
    assertThat(ScalingSteps.zeroWhenIdle(step(3), 5, Duration.ZERO, timeout)).isEqualTo(step(3));
  }

  @Test
  void theSpecsBoundsComeLastAndSaySo() {
    assertThat(ScalingSteps.bounds(step(0), 2, 10)).isEqualTo(new Step(2, "base; scale.min is 2"));
    assertThat(ScalingSteps.bounds(step(12), 0, 10))
        .isEqualTo(new Step(10, "base; scale.max is 10"));
    assertThat(ScalingSteps.bounds(step(5), 0, 10)).isEqualTo(step(5));
  }
}
