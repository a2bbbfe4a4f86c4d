package dev.kinetic.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AutoscalerTest {
  private static final ScalingSpec SPEC = new ScalingSpec(0, 10, 10, Duration.ofSeconds(30));

  private final MovableClock clock = new MovableClock();
  private final FakeBackend backend = new FakeBackend();

  private static Load concurrent(double concurrency) {
    return new Load(concurrency, 0);
  }

  private Optional<Map<String, Load>> reported = Optional.of(Map.of());
  private final Autoscaler<String> autoscaler =
      new Autoscaler<>(ScalingPolicy.defaults(), () -> reported, backend, clock, 2);

  @Test
  void decidesOnEveryNthTickAndScalesOnlyWhatChanged() {
    autoscaler.track(Map.of("busy", SPEC, "quiet", new ScalingSpec(1, 10, 10, SPEC.idleTimeout())));
    backend.replicas.put("busy", 1);
    backend.replicas.put("quiet", 1);
    reported = Optional.of(Map.of("busy", concurrent(35)));

    secondPasses();
    assertThat(backend.calls).as("the first tick only samples").isEmpty();
    secondPasses();

    // 35 concurrent at target 10 x 70% utilization: 5 pods.
    assertThat(backend.calls).containsExactly("busy 1->5");
    assertThat(backend.replicas).containsEntry("busy", 5).containsEntry("quiet", 1);
  }

  @Test
  void aDemandAtZeroScalesAtOnceAndIsIgnoredWhenPodsExist() {
    autoscaler.track(Map.of("cold", SPEC));
    backend.replicas.put("cold", 0);

    assertThat(autoscaler.demand("cold", 25, 0)).map(Decision::replicas).contains(4);
    assertThat(backend.calls).containsExactly("cold 0->4");
    assertThat(autoscaler.demand("cold", 25, 0)).isEmpty();
    assertThat(autoscaler.demand("unknown", 1, 0)).isEmpty();
    assertThat(backend.calls).hasSize(1);
  }

  @Test
  void aFunctionWithoutItsDeploymentIsNotScaled() {
    autoscaler.track(Map.of("new", SPEC));
    reported = Optional.of(Map.of("new", concurrent(50)));

    secondPasses();
    secondPasses();

    assertThat(autoscaler.demand("new", 5, 0)).isEmpty();
    assertThat(backend.calls).isEmpty();
  }

  @Test
  void missingStatsNeverScaleDown() {
    autoscaler.track(Map.of("f", SPEC));
    backend.replicas.put("f", 7);
    reported = Optional.of(Map.of("f", concurrent(45)));
    secondPasses();
    secondPasses();
    assertThat(backend.calls).as("45 concurrent need the 7 pods it has").isEmpty();

    reported = Optional.empty();
    for (int i = 0; i < 120; i++) {
      secondPasses();
    }

    assertThat(backend.replicas).containsEntry("f", 7);
    assertThat(backend.calls).isEmpty();
  }

  @Test
  void aPartialSampleMayScaleUpToWhatTheAnswersAloneNeedButNeverDown() {
    Autoscaler<String> partialAware =
        new Autoscaler<>(ScalingPolicy.defaults(), readings(), backend, clock, 2);
    partialAware.track(Map.of("f", SPEC));
    backend.replicas.put("f", 2);
    reading = Optional.of(new LoadSource.Reading<>(Map.of("f", concurrent(10)), true));
    for (int i = 0; i < 4; i++) {
      tick(partialAware);
    }
    assertThat(backend.calls).as("10 concurrent need the 2 pods it has").isEmpty();

    // One activator stops answering; the others alone already carry 35 concurrent (5 pods).
    reading = Optional.of(new LoadSource.Reading<>(Map.of("f", concurrent(35)), false));
    for (int i = 0; i < 10; i++) {
      tick(partialAware);
    }
    assertThat(backend.calls).containsExactly("f 2->5");
    assertThat(backend.reasons.get("f")).contains("some activators' numbers missing");

    // The others' share falls to nothing, for longer than the idle timeout: a lower bound of
    // zero says nothing of the rest, so neither down nor to zero.
    reading = Optional.of(new LoadSource.Reading<>(Map.of(), false));
    for (int i = 0; i < 120; i++) {
      tick(partialAware);
    }
    assertThat(backend.replicas).containsEntry("f", 5);
    assertThat(backend.calls).containsExactly("f 2->5");
  }

  private Optional<LoadSource.Reading<String>> reading = Optional.empty();

  /** A source that tells whole samples from partial ones, as the activators' scraper does. */
  private LoadSource<String> readings() {
    return (LoadSource.Partial<String>) () -> reading;
  }

  private void tick(Autoscaler<String> scaler) {
    clock.now = clock.now.plusSeconds(1);
    scaler.tick();
  }

  @Test
  void theTotalCapIsSharedAcrossFunctions() {
    autoscaler.track(Map.of("a", SPEC, "b", SPEC));
    autoscaler.totalCap(OptionalInt.of(4));
    backend.replicas.put("a", 4);
    backend.replicas.put("b", 4);
    reported = Optional.of(Map.of("a", concurrent(80), "b", concurrent(80)));

    secondPasses();
    secondPasses();

    assertThat(backend.replicas).containsEntry("a", 2).containsEntry("b", 2);
    assertThat(backend.reasons.get("a")).contains("the platform's total of 4 pods binds");
  }

  @Test
  void forgottenFunctionsAreNoLongerScaledAndChangedSpecsApply() {
    autoscaler.track(Map.of("a", SPEC, "b", SPEC));
    autoscaler.track(Map.of("a", new ScalingSpec(3, 10, 10, SPEC.idleTimeout())));
    backend.replicas.put("a", 1);
    backend.replicas.put("b", 0);
    reported = Optional.of(Map.of("b", concurrent(90)));

    secondPasses();
    secondPasses();

    assertThat(autoscaler.tracked()).isEqualTo(1);
    assertThat(backend.calls).containsExactly("a 1->3");
    assertThat(backend.reasons.get("a")).contains("scale.min is 3");
  }

  @Test
  // Before the split, the demand waited behind the lock for ever: a bound, not a time measured.
  @Timeout(60)
  void aDemandIsActedOnWhileATickWaitsForItsSample() throws Exception {
    CountDownLatch sampling = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    Autoscaler<String> slowSource =
        new Autoscaler<>(
            ScalingPolicy.defaults(),
            () -> {
              sampling.countDown();
              try {
                answer.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Optional.of(Map.of());
            },
            backend,
            clock,
            1);
    slowSource.track(Map.of("cold", SPEC, "other", SPEC));
    backend.replicas.put("cold", 0);
    Thread tick = new Thread(slowSource::tick);
    tick.start();
    sampling.await();

    // The scrape of an activator that does not answer: the demand does not wait for it.
    assertThat(slowSource.demand("cold", 25, 0)).map(Decision::replicas).contains(4);
    assertThat(backend.calls).containsExactly("cold 0->4");

    answer.countDown();
    tick.join();
  }

  @Test
  // Before the split, the demand waited behind the lock for ever: a bound, not a time measured.
  @Timeout(60)
  void aDemandIsActedOnWhileAnotherFunctionsWriteIsHeld() throws Exception {
    autoscaler.track(Map.of("busy", SPEC, "cold", SPEC));
    backend.replicas.put("busy", 1);
    backend.replicas.put("cold", 0);
    backend.holds.put("busy", new CountDownLatch(1));
    reported = Optional.of(Map.of("busy", concurrent(35)));
    clock.now = clock.now.plusSeconds(1);
    autoscaler.tick();
    clock.now = clock.now.plusSeconds(1);
    Thread tick = new Thread(autoscaler::tick);
    tick.start();
    await().until(() -> backend.writing.contains("busy"));

    assertThat(autoscaler.demand("cold", 25, 0)).map(Decision::replicas).contains(4);
    assertThat(backend.calls).containsExactly("cold 0->4");

    backend.holds.get("busy").countDown();
    tick.join();
    assertThat(backend.calls).containsExactly("cold 0->4", "busy 1->5");
  }

  @Test
  @Timeout(60)
  void aWriteOvertakenByANewerDecisionForTheSameFunctionIsDropped() throws Exception {
    autoscaler.track(Map.of("cold", SPEC));
    backend.replicas.put("cold", 0);
    backend.holds.put("cold", new CountDownLatch(1));
    Thread first = new Thread(() -> autoscaler.demand("cold", 25, 0));
    first.start();
    await().until(() -> backend.writing.contains("cold"));
    // Two more decisions while the first write is held (the cache still says zero): the older of
    // the two must not be written after the newer.
    Thread second = new Thread(() -> autoscaler.demand("cold", 1, 0));
    second.start();
    await().until(() -> second.getState() == Thread.State.BLOCKED);
    Thread third = new Thread(() -> autoscaler.demand("cold", 60, 0));
    third.start();
    await().until(() -> third.getState() == Thread.State.BLOCKED);

    backend.holds.get("cold").countDown();
    for (Thread t : List.of(first, second, third)) {
      t.join();
    }

    // The third was decided from a cache that still said zero, but starts where the first left it.
    assertThat(backend.calls).containsExactly("cold 0->4", "cold 4->9");
    assertThat(backend.replicas).containsEntry("cold", 9);
  }

  private void secondPasses() {
    clock.now = clock.now.plusSeconds(1);
    autoscaler.tick();
  }

  /**
   * Replicas in a map; a write of a function in {@code holds} waits until its latch opens, as a
   * slow API server would keep it.
   */
  private static final class FakeBackend implements ScaleBackend<String> {
    final Map<String, Integer> replicas = new ConcurrentHashMap<>();
    final Map<String, String> reasons = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    final Set<String> writing = ConcurrentHashMap.newKeySet();

    @Override
    public OptionalInt currentReplicas(String function) {
      Integer r = replicas.get(function);
      return r == null ? OptionalInt.empty() : OptionalInt.of(r);
    }

    @Override
    public void scale(String function, int from, Decision decision) {
      writing.add(function);
      CountDownLatch hold = holds.get(function);
      if (hold != null) {
        try {
          hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      calls.add(function + " " + from + "->" + decision.replicas());
      replicas.put(function, decision.replicas());
      reasons.put(function, decision.reason());
    }
  }

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
