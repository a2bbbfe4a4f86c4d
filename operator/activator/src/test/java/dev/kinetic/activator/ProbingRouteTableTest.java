package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.RouteTable;
import dev.kinetic.routes.RouteVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The activator's own probing of starting pods, with the probe, the timers and time in hand. */
class ProbingRouteTableTest {
  private static final FunctionKey HELLO = new FunctionKey("default", "hello");
  private static final Endpoint READY = new Endpoint("10.0.0.1", 8080);
  private static final Endpoint POD = new Endpoint("10.0.0.2", 8080);
  private static final ProbeSettings SETTINGS =
      new ProbeSettings(Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(1));

  /** Each probe waits until the test answers it. */
  static final class HeldProbe implements ReadinessProbe {
    final Map<Endpoint, List<CompletableFuture<Boolean>>> asked = new ConcurrentHashMap<>();

    final Map<Endpoint, Optional<String>> paths = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Boolean> ready(Endpoint endpoint, Optional<String> path) {
      paths.put(endpoint, path);
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      asked.computeIfAbsent(endpoint, e -> new CopyOnWriteArrayList<>()).add(answer);
      return answer;
    }

    int count(Endpoint endpoint) {
      return asked.getOrDefault(endpoint, List.of()).size();
    }

    void answerLast(Endpoint endpoint, boolean ready) {
      List<CompletableFuture<Boolean>> answers = asked.get(endpoint);
      answers.get(answers.size() - 1).complete(ready);
    }
  }

  /** Timers the test fires by hand. */
  static final class Timers implements ProbingRouteTable.Scheduler {
    final List<Runnable> due = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public void after(Duration delay, Runnable task) {
      delays.add(delay);
      due.add(task);
    }

    void fireAll() {
      List<Runnable> now = new ArrayList<>(due);
      due.clear();
      now.forEach(Runnable::run);
    }
  }

  static final class ManualClock implements InstantSource {
    Instant now = Instant.parse("2026-12-02T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final LocalRouteTable base = new LocalRouteTable();
  private final HeldProbe probe = new HeldProbe();
  private final Timers timers = new Timers();
  private final ManualClock clock = new ManualClock();
  private final ProbingRouteTable table =
      new ProbingRouteTable(base, probe, timers, clock, SETTINGS);
  private final List<FunctionKey> heard = new CopyOnWriteArrayList<>();

  {
    table.subscribe(heard::add);
  }

  private static Route route(List<Endpoint> ready, List<Endpoint> starting) {
    return new Route(HELLO, 1, Duration.ofSeconds(30), ready, Optional.empty(), starting);
  }

  @Test
  void theVersionsOfTheTableItWrapsArePassedOn() {
    RouteVersion version = new RouteVersion("uid-1", 4, List.of());
    RouteTable versioned =
        new RouteTable() {
          @Override
          public Optional<Route> route(FunctionKey key) {
            return Optional.empty();
          }

          @Override
          public Optional<RouteVersion> version(FunctionKey key) {
            return key.equals(HELLO) ? Optional.of(version) : Optional.empty();
          }

          @Override
          public void subscribe(Listener listener) {}
        };

    // The activator in a cluster answers the operator's /routes through this wrapper.
    ProbingRouteTable wrapping = new ProbingRouteTable(versioned, probe, timers, clock, SETTINGS);

    assertThat(wrapping.version(HELLO)).contains(version);
    assertThat(wrapping.version(new FunctionKey("team-a", "other"))).isEmpty();
  }

  @Test
  void eachPodIsProbedWithItsFunctionsCheck() {
    base.put(route(List.of(), List.of(POD)));
    assertThat(probe.paths.get(POD)).as("no path: a TCP connection").isEmpty();
    Endpoint other = new Endpoint("10.0.0.3", 8080);
    base.put(
        new Route(
            HELLO,
            1,
            Duration.ofSeconds(30),
            List.of(),
            Optional.empty(),
            List.of(POD, other),
            Optional.of("/ready"),
            false));
    assertThat(probe.paths.get(other)).contains("/ready");
  }

  @Test
  void aStartingPodFoundReadyByTheProbeIsRoutedBeforeItsSliceSaysSo() {
    base.put(route(List.of(READY), List.of(POD)));
    assertThat(probe.count(POD)).as("probed as soon as it appears").isEqualTo(1);
    assertThat(table.route(HELLO).orElseThrow().ready()).containsExactly(READY);
    heard.clear();

    probe.answerLast(POD, true);

    assertThat(heard).as("the gates hear of it").containsExactly(HELLO);
    Route route = table.route(HELLO).orElseThrow();
    assertThat(route.ready()).containsExactly(READY, POD);
    assertThat(route.starting()).isEmpty();
    assertThat(timers.due).as("no more probes of a ready pod").isEmpty();
  }

  @Test
  void aPodNotReadyYetIsProbedAgainEveryIntervalUntilItIs() {
    base.put(route(List.of(), List.of(POD)));

    for (int i = 1; i <= 3; i++) {
      probe.answerLast(POD, false);
      assertThat(table.route(HELLO).orElseThrow().ready()).isEmpty();
      assertThat(timers.delays).last().isEqualTo(Duration.ofMillis(50));
      clock.now = clock.now.plusMillis(50);
      timers.fireAll();
      assertThat(probe.count(POD)).isEqualTo(i + 1);
    }
    probe.answerLast(POD, true);

    assertThat(table.route(HELLO).orElseThrow().ready()).containsExactly(POD);
  }

  @Test
  void probingStopsAfterTheWindowAndTheKubeletDecides() {
    base.put(route(List.of(), List.of(POD)));
    clock.now = clock.now.plus(SETTINGS.window());

    probe.answerLast(POD, false);

    assertThat(timers.due).as("no probe after the window").isEmpty();
    base.put(route(List.of(POD), List.of()));
    assertThat(table.route(HELLO).orElseThrow().ready()).containsExactly(POD);
    assertThat(table.probing()).isZero();
  }

  @Test
  void aPodThatLeftTheStartingSetIsNotProbedAgainAndALateAnswerIsIgnored() {
    base.put(route(List.of(), List.of(POD)));
    base.put(route(List.of(), List.of()));
    assertThat(table.probing()).isZero();

    probe.answerLast(POD, true);

    assertThat(table.route(HELLO).orElseThrow().ready()).as("gone, not routed").isEmpty();
    timers.fireAll();
    assertThat(probe.count(POD)).isEqualTo(1);
  }

  @Test
  void aPodBackInTheStartingSetIsProbedAfreshNotTakenAsReadyFromBefore() {
    base.put(route(List.of(), List.of(POD)));
    probe.answerLast(POD, true);
    base.put(route(List.of(POD), List.of()));
    // The kubelet's probe failed since: the slice says not ready again.
    base.put(route(List.of(), List.of(POD)));

    assertThat(table.route(HELLO).orElseThrow().ready()).isEmpty();
    assertThat(probe.count(POD)).isEqualTo(2);
    probe.answerLast(POD, false);
    assertThat(table.route(HELLO).orElseThrow().ready()).isEmpty();
  }

  @Test
  void aProbeFromAnEarlierAppearanceCannotStartASecondLoop() {
    base.put(route(List.of(), List.of(POD)));
    probe.answerLast(POD, false);
    // Gone and back before the timer fired: the new appearance has its own probe loop.
    base.put(route(List.of(), List.of()));
    base.put(route(List.of(), List.of(POD)));
    assertThat(probe.count(POD)).isEqualTo(2);

    timers.fireAll();

    assertThat(probe.count(POD)).as("the old loop's timer probes nothing").isEqualTo(2);
  }

  @Test
  void aDeletedFunctionLeavesNothingBehind() {
    base.put(route(List.of(), List.of(POD)));
    base.remove(HELLO);

    assertThat(table.route(HELLO)).isEmpty();
    assertThat(table.probing()).isZero();
  }
}
