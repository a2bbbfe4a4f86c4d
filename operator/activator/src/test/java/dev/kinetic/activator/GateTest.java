package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.Unavailable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The slot throttle and the queue, without any I/O. */
class GateTest {
  private static final FunctionKey FN = new FunctionKey("ns", "fn");
  private static final Endpoint A = new Endpoint("10.0.0.1", 8080);
  private static final Endpoint B = new Endpoint("10.0.0.2", 8080);

  /** A waiter that keeps its lease. */
  static final class Held implements Gate.Waiter {
    Gate.Lease lease;
    Unavailable refused;

    @Override
    public void granted(Gate.Lease granted) {
      lease = granted;
    }

    boolean gone;

    @Override
    public void unavailable(Unavailable why) {
      refused = why;
    }

    @Override
    public void gone() {
      gone = true;
    }
  }

  private static Route route(int hard, Endpoint... ready) {
    return new Route(FN, hard, Duration.ofSeconds(30), List.of(ready));
  }

  @Test
  void aPodThatLeavesTheRouteAndComesBackKeepsItsInFlightCount() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(1, A));
    Held running = new Held();
    gate.admit(running);
    assertThat(running.lease).isNotNull();

    // A readiness probe times out: A leaves the route while its request runs, then returns.
    gate.update(route(1));
    gate.update(route(1, A));

    Held next = new Held();
    assertThat(gate.admit(next))
        .as("A is still at its limit of 1")
        .isEqualTo(Gate.Admission.QUEUED_PODS_FULL);
    running.lease.release();
    assertThat(next.lease).as("granted once the running request ends").isNotNull();
    assertThat(next.lease.endpoint()).isEqualTo(A);
  }

  @Test
  void aPodThatLeftAndWhoseRequestsEndedComesBackEmpty() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(1, A));
    Held running = new Held();
    gate.admit(running);
    gate.update(route(1));
    running.lease.release();

    gate.update(route(1, A));

    Held next = new Held();
    gate.admit(next);
    assertThat(next.lease).isNotNull();
  }

  @Test
  void withoutPodsRequestsQueueUpToTheDepthThenAreRejected() {
    Gate gate = new Gate(2, Shard.ALONE);
    gate.update(route(0));
    assertThat(gate.admit(new Held())).isEqualTo(Gate.Admission.QUEUED_NO_POD);
    assertThat(gate.admit(new Held())).isEqualTo(Gate.Admission.QUEUED_NO_POD);
    assertThat(gate.admit(new Held())).isEqualTo(Gate.Admission.REJECTED);
    assertThat(gate.queued()).isEqualTo(2);
  }

  @Test
  void whenNoPodCanStartTheWaitingAreToldAndNewcomersAreNotQueuedUntilItRecovers() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(1));
    Held waiting = new Held();
    gate.admit(waiting);
    Unavailable crash = new Unavailable("CrashLoop", "exited 3 times, last with code 1");

    gate.update(route(1).withUnavailable(Optional.of(crash)));

    assertThat(waiting.refused).isEqualTo(crash);
    assertThat(gate.queued()).isZero();
    assertThat(gate.admit(new Held())).isEqualTo(Gate.Admission.UNAVAILABLE);
    assertThat(gate.whyUnavailable()).isEqualTo(crash);

    // Fixed: requests wait for a pod again, and get one.
    gate.update(route(1));
    Held next = new Held();
    assertThat(gate.admit(next)).isEqualTo(Gate.Admission.QUEUED_NO_POD);
    gate.update(route(1, A));
    assertThat(next.lease).isNotNull();
  }

  @Test
  void closingTellsTheWaitingAtOnceAdmitsNoMoreAndLetsWhatRunsFinish() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(1, A));
    Held running = new Held();
    gate.admit(running);
    Held waiting = new Held();
    assertThat(gate.admit(waiting)).isEqualTo(Gate.Admission.QUEUED_PODS_FULL);

    gate.close();

    assertThat(waiting.gone).isTrue();
    assertThat(waiting.lease).isNull();
    assertThat(gate.queued()).isZero();
    assertThat(gate.admit(new Held())).isEqualTo(Gate.Admission.GONE);
    running.lease.release();
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void aReadyPodStillServesWhileAnotherCannotStart() {
    Gate gate = new Gate(10, Shard.ALONE);
    Unavailable crash = new Unavailable("CrashLoop", "a second pod keeps exiting");
    gate.update(route(1, A).withUnavailable(Optional.of(crash)));

    Held first = new Held();
    assertThat(gate.admit(first)).isEqualTo(Gate.Admission.GRANTED);
    Held second = new Held();
    assertThat(gate.admit(second))
        .as("waits for the ready pod")
        .isEqualTo(Gate.Admission.QUEUED_PODS_FULL);
    first.lease.release();
    assertThat(second.lease).isNotNull();
  }

  @Test
  void aReadyPodReleasesTheQueueOldestFirst() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(1));
    Held first = new Held();
    Held second = new Held();
    gate.admit(first);
    gate.admit(second);

    gate.update(route(1, A));
    assertThat(first.lease).isNotNull();
    assertThat(second.lease).as("hard = 1: the second waits for the first").isNull();

    first.lease.release();
    assertThat(second.lease).isNotNull();
    assertThat(second.lease.endpoint()).isEqualTo(A);
  }

  @Test
  void aPodGetsAtMostItsHardLimitAndTheLeastLoadedPodIsChosen() {
    Gate gate = new Gate(100, Shard.ALONE);
    gate.update(route(2, A, B));
    List<Held> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Held h = new Held();
      gate.admit(h);
      held.add(h);
    }
    long onA = held.stream().filter(h -> h.lease != null && h.lease.endpoint().equals(A)).count();
    long onB = held.stream().filter(h -> h.lease != null && h.lease.endpoint().equals(B)).count();
    assertThat(onA).isEqualTo(2);
    assertThat(onB).isEqualTo(2);
    assertThat(gate.queued()).isEqualTo(1);
    assertThat(gate.inFlight()).isEqualTo(4);
  }

  @Test
  void severalActivatorsEachTakeTheirShareOfAPodsSlots() {
    Gate gate = new Gate(100, new Shard(0, 2));
    gate.update(route(4, A));
    Held one = new Held();
    Held two = new Held();
    Held three = new Held();
    gate.admit(one);
    gate.admit(two);
    assertThat(gate.admit(three))
        .as("4 slots / 2 activators = 2 here")
        .isEqualTo(Gate.Admission.QUEUED_PODS_FULL);
  }

  @Test
  void theActivatorsSharesOfAPodAddUpToExactlyItsHardLimit() {
    for (int count = 1; count <= 5; count++) {
      for (int hard = 1; hard <= 12; hard++) {
        for (int pod = 1; pod <= 20; pod++) {
          Endpoint endpoint = new Endpoint("10.85.0." + pod, 8080);
          int sum = 0;
          for (int index = 0; index < count; index++) {
            sum += new Shard(index, count).slots(hard, endpoint);
          }
          assertThat(sum).as("hard %d over %d activators", hard, count).isEqualTo(hard);
        }
      }
    }
    assertThat(new Shard(1, 3).slots(0, A)).as("no hard limit").isEqualTo(Shard.UNLIMITED);
  }

  @Test
  void withAHardLimitBelowTheActivatorsAPodServesOneOfThemAndTheOtherWaitsForAPodOfItsOwn() {
    // hard 1, two activators: each pod's one slot is one activator's, by the pod's address.
    Endpoint mine = podFor(0, 2);
    Endpoint theirs = podFor(1, 2);
    Gate gate = new Gate(10, new Shard(0, 2));
    gate.update(route(1, theirs));
    Held waiting = new Held();

    assertThat(gate.admit(waiting)).isEqualTo(Gate.Admission.QUEUED_NO_SLOT);
    assertThat(gate.starved()).isTrue();
    assertThat(gate.readyPods()).isEqualTo(1);

    gate.update(route(1, theirs, mine));
    assertThat(waiting.lease.endpoint()).isEqualTo(mine);
    assertThat(gate.starved()).isFalse();
  }

  @Test
  void aChangeOfActivatorsMovesTheSharesAndReleasesWhatNowFits() {
    Gate gate = new Gate(10, new Shard(0, 2));
    gate.update(route(2, A));
    Held first = new Held();
    Held second = new Held();
    gate.admit(first);
    assertThat(gate.admit(second))
        .as("1 of A's 2 slots is this one's")
        .isNotEqualTo(Gate.Admission.GRANTED);

    gate.reshard(Shard.ALONE);

    assertThat(second.lease).as("alone: both of A's slots").isNotNull();
  }

  /** A pod whose one slot (hard 1) goes to activator {@code index} of {@code count}. */
  private static Endpoint podFor(int index, int count) {
    for (int i = 1; ; i++) {
      Endpoint e = new Endpoint("10.85.0." + i, 8080);
      if (new Shard(index, count).slots(1, e) == 1) {
        return e;
      }
    }
  }

  @Test
  void releasingTwiceFreesOneSlot() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(1, A));
    Held first = new Held();
    gate.admit(first);
    Held second = new Held();
    Held third = new Held();
    gate.admit(second);
    gate.admit(third);

    first.lease.release();
    first.lease.release();
    assertThat(second.lease).isNotNull();
    assertThat(third.lease).isNull();
  }

  @Test
  void aFailedPodIsSkippedUntilTheRouteIsUpdated() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(0, A, B));
    gate.markFailed(A);
    for (int i = 0; i < 4; i++) {
      Held h = new Held();
      gate.admit(h);
      assertThat(h.lease.endpoint()).isEqualTo(B);
    }
    assertThat(gate.readyPods()).isEqualTo(1);
    gate.update(route(0, A, B));
    assertThat(gate.readyPods()).isEqualTo(2);
  }

  @Test
  void aFailedPodIsTriedAgainOnceItsPauseIsOverWithoutARouteUpdate() {
    long[] now = {0};
    Duration pause = Duration.ofMillis(250); // KINETIC_ACTIVATOR_REFUSED_POD_PAUSE_MS
    Gate gate = new Gate(10, Shard.ALONE, () -> now[0], pause);
    gate.update(route(0, A, B));
    gate.markFailed(A);
    now[0] += pause.toNanos() - 1;
    Held during = new Held();
    gate.admit(during);
    Held alsoDuring = new Held();
    gate.admit(alsoDuring);
    assertThat(List.of(during.lease.endpoint(), alsoDuring.lease.endpoint())).containsOnly(B);

    now[0] += 1;
    assertThat(gate.readyPods()).isEqualTo(2);
    Held after = new Held();
    gate.admit(after);
    assertThat(after.lease.endpoint()).as("least loaded, back in rotation").isEqualTo(A);
  }

  @Test
  void requestsWaitingForTheOnlyPodWhileItIsPausedGetItWhenThePauseEnds() {
    long[] now = {0};
    Gate gate = new Gate(10, Shard.ALONE, () -> now[0], PodLimits.DEFAULTS.refusedPause());
    gate.update(route(0, A));
    gate.markFailed(A);
    Held waiting = new Held();
    assertThat(gate.admit(waiting))
        .as("the pod is ready, only paused: no cold start, no demand for a pod")
        .isEqualTo(Gate.Admission.QUEUED_PODS_FULL);

    gate.retryFailed();
    assertThat(waiting.lease).as("too early").isNull();
    now[0] += PodLimits.DEFAULTS.refusedPause().toNanos();
    gate.retryFailed();
    assertThat(waiting.lease.endpoint()).isEqualTo(A);
    assertThat(gate.queued()).isZero();
  }

  @Test
  void aCancelledWaiterIsNeverGrantedAndACancelAfterTheGrantFails() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(0));
    Held gaveUp = new Held();
    Held stays = new Held();
    gate.admit(gaveUp);
    gate.admit(stays);
    assertThat(gate.cancel(gaveUp)).isTrue();

    gate.update(route(0, A));
    assertThat(gaveUp.lease).isNull();
    assertThat(stays.lease).isNotNull();
    assertThat(gate.cancel(stays)).as("already granted").isFalse();
  }

  @Test
  void aPodThatLeavesKeepsNoWaitersAndInFlightCountsSurviveAnUpdate() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(1, A));
    Held running = new Held();
    gate.admit(running);
    gate.update(route(1, A, B));
    Held next = new Held();
    gate.admit(next);
    assertThat(next.lease.endpoint()).as("A is still busy").isEqualTo(B);
  }

  @Test
  void theSampleKeepsThePeakBetweenSamples() {
    Gate gate = new Gate(10, Shard.ALONE);
    gate.update(route(0, A));
    List<Held> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Held h = new Held();
      gate.admit(h);
      held.add(h);
    }
    held.forEach(h -> h.lease.release());

    int[] sample = gate.sample();
    assertThat(sample[0]).isZero();
    assertThat(sample[1]).isEqualTo(3);
    assertThat(gate.sample()[1]).as("the peak resets with each sample").isZero();
  }
}
