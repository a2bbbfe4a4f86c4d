package dev.kinetic.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.operator.Functions;
import dev.kinetic.operator.status.Conditions;
import dev.kinetic.operator.status.Verdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoutesAnswerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  private final AtomicInteger asked = new AtomicInteger();

  /** A probe that counts how often it lists the activators, and finds none. */
  private RouteRounds probe() {
    return rounds(
        new RouteProbe(
            () -> {
              asked.incrementAndGet();
              return List.<URI>of();
            },
            HttpClient.newHttpClient(),
            Duration.ofMillis(100),
            "kinetic-system/kinetic-activator"));
  }

  /** Rounds that wait for the answers well past the time the probe gives the activators. */
  private static RouteRounds rounds(RouteProbe probe) {
    return new RouteRounds(probe, Duration.ofSeconds(30), Clock.systemUTC(), late -> {});
  }

  private static Function routedAt(long routedGeneration, long generation) {
    Function f = Functions.function("hello", "img:1");
    f.getMetadata().setGeneration(generation);
    FunctionStatus status = new FunctionStatus();
    status.setConditions(
        Conditions.set(
            List.of(),
            Verdict.ok("Routed", "every activator asked (2) routes generation " + routedGeneration),
            Conditions.ROUTES_READY,
            routedGeneration,
            Clock.systemUTC()));
    f.setStatus(status);
    return f;
  }

  @Test
  void aGenerationAlreadyRoutedIsNotAskedAgain() {
    RoutesAnswer answer = new RoutesAnswer(probe(), routedAt(3, 3), List::of);

    assertThat(answer.get().reason()).isEqualTo("Routed");
    assertThat(answer.get().message()).isEqualTo("every activator asked (2) routes generation 3");
    assertThat(asked).hasValue(0);
    assertThat(answer.askAgainIn(INTERVAL)).isEmpty();
  }

  @Test
  void aRoutedGenerationIsAskedAgainWhenTheDomainsItHoldsChange() {
    // Routed while it held none; now it holds one, which the status does not record yet.
    RoutesAnswer answer =
        new RoutesAnswer(probe(), routedAt(3, 3), () -> List.of("api.example.com"));

    assertThat(answer.get().reason()).isEqualTo("NoActivators");
    assertThat(asked).hasValue(1);
  }

  @Test
  void aNewGenerationIsAskedOncePerReconcile() {
    RoutesAnswer answer = new RoutesAnswer(probe(), routedAt(3, 4), List::of);

    assertThat(answer.get().reason()).isEqualTo("NoActivators");
    answer.get();
    assertThat(asked).hasValue(1);
  }

  @Test
  void notAskedIsNotAskedAgainLater() {
    RoutesAnswer answer = new RoutesAnswer(probe(), Functions.function("hello", "img:1"), List::of);

    assertThat(answer.askAgainIn(INTERVAL)).isEmpty();
    assertThat(asked).hasValue(0);
  }

  @Test
  void withNoActivatorItWaitsForOneToBeListedInsteadOfAskingAgain() {
    RoutesAnswer answer = new RoutesAnswer(probe(), Functions.function("hello", "img:1"), List::of);

    assertThat(answer.get().reason()).isEqualTo("NoActivators");
    assertThat(answer.askAgainIn(INTERVAL)).isEmpty();
  }

  @Test
  void onlyARoutedConditionOfTheCurrentGenerationCountsAsRouted() {
    assertThat(RoutesAnswer.routedAtItsGeneration(routedAt(3, 3))).isPresent();
    assertThat(RoutesAnswer.routedAtItsGeneration(routedAt(3, 4))).isEmpty();
    assertThat(RoutesAnswer.routedAtItsGeneration(Functions.function("hello", "img:1"))).isEmpty();
  }

  @Test
  void withAnActivatorBehindItAsksAgainAfterOneInterval() throws Exception {
    try (FakeActivator behind = new FakeActivator().routes("test", "hello", "uid-hello", 0)) {
      RouteProbe probe =
          new RouteProbe(
              () -> List.of(behind.admin()),
              HttpClient.newHttpClient(),
              Duration.ofSeconds(1),
              "kinetic-system/kinetic-activator");
      RoutesAnswer answer =
          new RoutesAnswer(rounds(probe), Functions.function("hello", "img:1"), List::of);

      assertThat(answer.get().reason()).isEqualTo("Routing");
      assertThat(answer.askAgainIn(INTERVAL)).contains(1_000L);
    }
  }
}
