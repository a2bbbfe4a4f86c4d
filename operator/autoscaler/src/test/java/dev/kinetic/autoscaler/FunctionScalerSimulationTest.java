package dev.kinetic.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Traffic traces replayed in virtual time (an hour takes milliseconds). Target 10 per pod at 70%
 * utilization, pods ready 2 s after they are asked for, decisions every 2 s.
 */
class FunctionScalerSimulationTest {
  private static final ScalingSpec FROM_ZERO = new ScalingSpec(0, 50, 10, Duration.ofSeconds(60));
  private static final ScalingSpec WARM = new ScalingSpec(1, 50, 10, Duration.ofSeconds(60));

  @Test
  void aStepFromZeroTo100IsServedWithinStartupAndOneTick() {
    Simulation s = new Simulation(FROM_ZERO, 2, t -> t < 10 ? 0 : 100).run(120);

    assertThat(s.replicas.get(9)).as("nothing before traffic").isZero();
    assertThat(s.replicas.get(10)).as("demand at zero scales at once").isEqualTo(15);
    assertThat(s.reasons.get(10)).contains("waiting at zero pods");
    assertThat(s.timeToCapacity(10)).isLessThanOrEqualTo(2);
    assertThat(s.peakReplicas()).isEqualTo(15);
    assertThat(s.scaleChanges).isLessThanOrEqualTo(2);
  }

  @Test
  void aBurstOnAWarmFunctionEntersPanicAndReachesCapacityInSeconds() {
    Simulation s = new Simulation(WARM, 2, t -> t < 30 ? 3 : 100).run(120);

    assertThat(s.replicas.get(29)).isEqualTo(1);
    assertThat(s.timeToCapacity(30)).isLessThanOrEqualTo(6);
    assertThat(s.reasons.stream().filter(r -> r != null && r.startsWith("panic"))).isNotEmpty();
    assertThat(s.replicas.get(119)).isEqualTo(15);
  }

  @Test
  void trafficThatStopsReachesZeroAfterTheIdleTimeoutAndNotBefore() {
    Simulation s = new Simulation(FROM_ZERO, 2, t -> t < 100 ? 20 : 0).run(400);

    int zero = s.firstZero(100);
    assertThat(zero).as("not before the idle timeout").isGreaterThanOrEqualTo(160);
    assertThat(zero).as("soon after it").isLessThanOrEqualTo(170);
    for (int t = 100; t < 160; t++) {
      assertThat(s.replicas.get(t)).as("second %d", t).isPositive();
    }
  }

  @Test
  void aFastFunctionWithARateTargetScalesOnItsRequestsPerSecondAndStillReachesZero() {
    // 300 requests/s of 10 ms each: 3 concurrent, one pod at concurrency target 10. At 50
    // requests/s per pod (35 at 70% utilization) the same traffic needs 9.
    ScalingSpec rated =
        new ScalingSpec(0, 50, 10, Duration.ofSeconds(60)).withRequestsPerSecond(50);
    Simulation s = new Simulation(rated, 2, t -> t < 10 || t >= 120 ? 0 : 3);
    s.rate(t -> t < 10 || t >= 120 ? 0 : 300).run(300);

    assertThat(s.replicas.get(10)).as("demand at zero: 3 waiting, 1 pod").isEqualTo(1);
    assertThat(s.replicas.get(20)).isEqualTo(9);
    assertThat(s.reasons.stream().filter(r -> r != null && r.contains("300.0 requests/s")))
        .isNotEmpty();
    for (int t = 20; t < 120; t++) {
      assertThat(s.replicas.get(t)).as("second %d", t).isEqualTo(9);
    }
    int zero = s.firstZero(120);
    assertThat(zero).as("not before the idle timeout").isGreaterThanOrEqualTo(180);
    assertThat(zero).as("soon after it").isLessThanOrEqualTo(190);

    Simulation concurrencyOnly =
        new Simulation(FROM_ZERO, 2, t -> t < 10 || t >= 120 ? 0 : 3)
            .rate(t -> t < 10 || t >= 120 ? 0 : 300)
            .run(120);
    assertThat(concurrencyOnly.peakReplicas()).as("without the rate target").isEqualTo(1);
  }

  @Test
  void trafficFlappingAroundAThresholdDoesNotMakePodsFlap() {
    // 13 and 15 alternate every 5 s: around 2 pods' worth (14 at 7 per pod).
    Simulation s = new Simulation(WARM, 2, t -> (t / 5) % 2 == 0 ? 13 : 15).run(600);

    assertThat(s.scaleChanges).isLessThanOrEqualTo(3);
  }

  @Test
  void missingStatsNeverScaleDown() {
    // 50 concurrent for two minutes (8 pods), then the stats stop arriving while traffic ends.
    Simulation s =
        new Simulation(FROM_ZERO, 2, t -> t < 120 ? 50 : 0)
            .statsMissingWhen(t -> t >= 120 && t < 300)
            .run(300);

    int before = s.replicas.get(119);
    assertThat(before).isEqualTo(8);
    for (int t = 120; t < 300; t++) {
      assertThat(s.replicas.get(t)).as("second %d", t).isEqualTo(before);
    }
    assertThat(s.reasons.get(200)).contains("no fresh concurrency data");
  }

  @Test
  void neverAboveScaleMax() {
    ScalingSpec capped = new ScalingSpec(0, 5, 10, Duration.ofSeconds(60));
    Simulation s = new Simulation(capped, 2, t -> 500).run(120);

    assertThat(s.peakReplicas()).isEqualTo(5);
    assertThat(s.reasons.stream().filter(r -> r != null && r.contains("scale.max is 5")))
        .isNotEmpty();
  }

  @Test
  void aSingleSpikeScalesUpAndComesBackDownOnlyAfterTheStableWindow() {
    Simulation s = new Simulation(WARM, 2, t -> t >= 60 && t < 63 ? 200 : 5).run(400);

    // 3 s of 200 in a 6 s panic window averages ~89 concurrent: 13 pods at 7 each.
    assertThat(s.peakReplicas()).isGreaterThanOrEqualTo(13);
    int peakAt = s.replicas.indexOf(s.peakReplicas());
    for (int t = peakAt; t < 120; t++) {
      assertThat(s.replicas.get(t))
          .as("no scale-down in panic, second %d", t)
          .isEqualTo(s.peakReplicas());
    }
    assertThat(s.replicas.get(399)).as("back to what 5 concurrent need").isEqualTo(1);
  }

  @Test
  void aShortWindowSeesABurstAsSoonAndLetsItsPodsGoSoonerByTheDifferenceOfTheWindows() {
    ScalingSpec shortWindow = WARM.withWindow(Duration.ofSeconds(10));
    Simulation s = new Simulation(shortWindow, 2, t -> t >= 60 && t < 63 ? 200 : 5).run(400);
    Simulation usual = new Simulation(WARM, 2, t -> t >= 60 && t < 63 ? 200 : 5).run(400);

    assertThat(s.peakReplicas()).as("the panic window is the same 6 s").isEqualTo(13);
    assertThat(s.replicas.indexOf(13)).isEqualTo(usual.replicas.indexOf(13));
    for (int t = s.replicas.indexOf(13); t < 63 + 10; t++) {
      assertThat(s.replicas.get(t))
          .as("held for the window after the burst, second %d", t)
          .isEqualTo(13);
    }
    int back = s.replicas.subList(63, 400).indexOf(1);
    int usualBack = usual.replicas.subList(63, 400).indexOf(1);
    assertThat(usualBack - back).as("60 s window against 10 s").isEqualTo(50);
    assertThat(s.reasons.stream().filter(r -> r != null && r.contains("over 10 s at target")))
        .as("the reasons name the window")
        .isNotEmpty();
  }

  @Test
  void withoutAScaleDownDelayABurstsPodsGoAsSoonAsTheWindowHasPassedItsDelayEarlier() {
    ScalingSpec shortWindow = WARM.withWindow(Duration.ofSeconds(10));
    Simulation delayed = new Simulation(shortWindow, 2, t -> t >= 60 && t < 63 ? 200 : 5).run(300);
    Simulation prompt =
        new Simulation(
                shortWindow.withScaleDownDelay(Duration.ZERO), 2, t -> t >= 60 && t < 63 ? 200 : 5)
            .run(300);

    assertThat(prompt.peakReplicas()).isEqualTo(delayed.peakReplicas());
    int back = prompt.replicas.subList(63, 300).indexOf(1);
    int delayedBack = delayed.replicas.subList(63, 300).indexOf(1);
    assertThat(delayedBack - back).as("the default delay of 30 s").isEqualTo(30);
    assertThat(
            delayed.reasons.stream().filter(r -> r != null && r.contains("within the last 30 s")))
        .as("the delay says so while it holds")
        .isNotEmpty();
  }

  @Test
  void aLowerUtilizationKeepsMoreHeadroomInEveryPod() {
    Simulation usual = new Simulation(WARM, 2, t -> 20).run(120);
    Simulation roomy = new Simulation(WARM.withUtilization(0.5), 2, t -> 20).run(120);

    assertThat(usual.replicas.get(119)).as("20 at 7 a pod").isEqualTo(3);
    assertThat(roomy.replicas.get(119)).as("20 at 5 a pod").isEqualTo(4);
    assertThat(roomy.reasons.stream().filter(r -> r != null && r.contains("x 50% utilization")))
        .isNotEmpty();
  }

  @Test
  void aWindowShorterThanThePanicWindowBoundsItToo() {
    // The CRD allows no window under 6 s; the autoscaler does not rely on it.
    ScalingSpec fourSeconds = WARM.withWindow(Duration.ofSeconds(4));
    Simulation s = new Simulation(fourSeconds, 2, t -> t >= 60 && t < 63 ? 200 : 5).run(200);

    assertThat(s.peakReplicas()).as("the burst is seen").isGreaterThanOrEqualTo(13);
    assertThat(s.reasons.stream().filter(r -> r != null && r.startsWith("panic")))
        .isNotEmpty()
        .allMatch(r -> r.contains(" over 4 s "));
    assertThat(s.replicas.get(199)).isEqualTo(1);
  }

  @Test
  void aSlowRampIsTrackedWithFewSecondsShort() {
    Simulation s = new Simulation(WARM, 2, t -> Math.min(100, t / 3.0)).run(600);

    assertThat(s.secondsShort()).isLessThanOrEqualTo(30);
    assertThat(s.replicas.get(599)).isEqualTo(15);
  }

  @Test
  void aSineWaveIsServedWithoutRunawayProvisioning() {
    Simulation s =
        new Simulation(WARM, 2, t -> 50 + 40 * Math.sin(2 * Math.PI * t / 300.0)).run(1200);

    assertThat(s.overProvisioning()).isBetween(1.0, 2.5);
    assertThat(s.secondsShort()).isLessThanOrEqualTo(120);
  }
}
