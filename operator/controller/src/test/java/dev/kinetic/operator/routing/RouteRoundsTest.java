package dev.kinetic.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.operator.Functions;
import dev.kinetic.operator.status.Conditions;
import dev.kinetic.operator.status.Verdict;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouteRoundsTest {
  private static final Verdict ROUTED = Verdict.ok("Routed", "every activator asked (1) routes");
  private static final Verdict BEHIND = Verdict.waiting("Routing", "10.0.0.5 routes generation 1");

  /** Hands out answers the test completes, one per question asked. */
  private static final class FakeProbe implements RouteRounds.Probe {
    final List<CompletableFuture<Verdict>> asked = new ArrayList<>();
    Verdict answerAtOnce;

    @Override
    public CompletableFuture<Verdict> ask(Function function, List<String> domains) {
      CompletableFuture<Verdict> answer = new CompletableFuture<>();
      if (answerAtOnce != null) {
        answer.complete(answerAtOnce);
      }
      asked.add(answer);
      return answer;
    }
  }

  private final FakeProbe probe = new FakeProbe();
  private Instant now = Instant.parse("2026-12-07T12:00:00Z");
  private final List<ResourceID> late = new ArrayList<>();

  /** Waits for nothing: an answer not complete when asked is late. */
  private final RouteRounds rounds = new RouteRounds(probe, Duration.ZERO, () -> now, late::add);

  private static Function hello(long generation) {
    Function f = Functions.function("hello", "img:1");
    f.getMetadata().setGeneration(generation);
    return f;
  }

  @Test
  void anAnswerWithinTheWaitIsTheVerdictAndLeavesNothingBehind() {
    probe.answerAtOnce = ROUTED;

    assertThat(rounds.ask(hello(1), List.of())).isEqualTo(ROUTED);
    assertThat(rounds.held()).isZero();
    assertThat(late).isEmpty();
  }

  @Test
  void aLateAnswerDoesNotHoldTheReconcileAndBringsTheNextOneWhichReadsIt() {
    Verdict meanwhile = rounds.ask(hello(1), List.of());

    assertThat(meanwhile.isWaiting()).isTrue();
    assertThat(meanwhile.reason()).isEqualTo("Routing");
    assertThat(meanwhile.message())
        .isEqualTo("asking the activators whether they route generation 1");
    assertThat(late).isEmpty();

    probe.asked.get(0).complete(ROUTED);
    assertThat(late).containsExactly(new ResourceID("hello", "test"));
    assertThat(rounds.ask(hello(1), List.of())).isEqualTo(ROUTED);
    assertThat(probe.asked).as("the late answer was read, not asked for again").hasSize(1);
    assertThat(rounds.held()).isZero();
  }

  @Test
  void aRoundUnderWayIsNotAskedAgainByTheReconcilesThatComeMeanwhile() {
    rounds.ask(hello(1), List.of());
    rounds.ask(hello(1), List.of());
    rounds.ask(hello(1), List.of());

    assertThat(probe.asked).hasSize(1);
  }

  @Test
  void whileARoundIsUnderWayTheStatusKeepsWhatItSaysAtThisGeneration() {
    Function behind = hello(2);
    FunctionStatus status = new FunctionStatus();
    status.setConditions(
        Conditions.set(List.of(), BEHIND, Conditions.ROUTES_READY, 2L, Clock.systemUTC()));
    behind.setStatus(status);

    assertThat(rounds.ask(behind, List.of())).isEqualTo(BEHIND);

    // Said of generation 2: generation 3 is being asked about, not behind.
    behind.getMetadata().setGeneration(3L);
    assertThat(rounds.ask(behind, List.of()).message())
        .isEqualTo("asking the activators whether they route generation 3");
  }

  @Test
  void aReadAnswerIsNotReadTwiceTheNextReconcileAsksAgain() {
    rounds.ask(hello(1), List.of());
    probe.asked.get(0).complete(BEHIND);
    assertThat(rounds.ask(hello(1), List.of())).isEqualTo(BEHIND);

    rounds.ask(hello(1), List.of());

    assertThat(probe.asked).hasSize(2);
  }

  @Test
  void anAnswerAboutAnotherGenerationOrOtherDomainsIsNotTakenForThisOne() {
    rounds.ask(hello(1), List.of());
    probe.asked.get(0).complete(ROUTED);

    assertThat(rounds.ask(hello(2), List.of()).reason()).isEqualTo("Routing");
    probe.asked.get(1).complete(ROUTED);
    assertThat(rounds.ask(hello(2), List.of("api.example.com")).reason()).isEqualTo("Routing");
    assertThat(probe.asked).hasSize(3);
  }

  @Test
  void anAnswerNobodyReadsIsDroppedOnceItIsOld() {
    Function gone = Functions.function("gone", "img:1");
    rounds.ask(gone, List.of());
    probe.asked.get(0).complete(BEHIND);
    rounds.ask(hello(1), List.of()); // still under way: kept however old
    assertThat(rounds.held()).isEqualTo(2);

    now = now.plus(RouteRounds.UNREAD).plusSeconds(1);
    rounds.ask(Functions.function("other", "img:1"), List.of());

    assertThat(rounds.held()).as("hello's and other's rounds, under way").isEqualTo(2);
  }
}
