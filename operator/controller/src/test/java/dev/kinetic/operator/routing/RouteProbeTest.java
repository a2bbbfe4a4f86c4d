package dev.kinetic.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.operator.Functions;
import dev.kinetic.operator.status.Verdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteProbeTest {
  private static final String SERVICE = "kinetic-system/kinetic-activator";

  /** Generation 3 of test/hello, uid uid-hello. */
  private static Function hello() {
    Function f = Functions.function("hello", "img:1");
    f.getMetadata().setGeneration(3L);
    return f;
  }

  private static Verdict verdict(RouteProbe.Answer... answers) {
    return RouteProbe.verdict(hello(), List.of(), List.of(answers), SERVICE);
  }

  @Test
  void everyActivatorAtThisGenerationOrLaterIsRouted() {
    Verdict v =
        verdict(
            RouteProbe.Answer.routes("10.0.0.5", "uid-hello", 3, List.of()),
            RouteProbe.Answer.routes("10.0.0.6", "uid-hello", 4, List.of()));
    assertThat(v.isTrue()).isTrue();
    assertThat(v.reason()).isEqualTo("Routed");
    assertThat(v.message()).isEqualTo("every activator asked (2) routes generation 3");
  }

  @Test
  void oneActivatorBehindIsStillRoutingAndNamed() {
    Verdict v =
        verdict(
            RouteProbe.Answer.routes("10.0.0.5", "uid-hello", 3, List.of()),
            RouteProbe.Answer.routes("10.0.0.6", "uid-hello", 2, List.of()));
    assertThat(v.isWaiting()).isTrue();
    assertThat(v.reason()).isEqualTo("Routing");
    assertThat(v.message())
        .isEqualTo("1 of 2 activators route generation 3 so far: 10.0.0.6 routes generation 2");
  }

  @Test
  void anActivatorThatKnowsNoSuchFunctionOrOnlyADeletedOneIsNotRouting() {
    Verdict v =
        verdict(
            RouteProbe.Answer.unknown("10.0.0.5"),
            RouteProbe.Answer.routes("10.0.0.6", "uid-of-the-deleted-one", 7, List.of()));
    assertThat(v.reason()).isEqualTo("Routing");
    assertThat(v.message())
        .isEqualTo(
            "0 of 2 activators route generation 3 so far: 10.0.0.5 routes no Function of this"
                + " name yet; 10.0.0.6 still routes a deleted Function of this name");
  }

  @Test
  void anActivatorOlderThanTheQuestionIsTakenAsRoutingAndCounted() {
    Verdict v =
        verdict(
            RouteProbe.Answer.routes("10.0.0.5", "uid-hello", 3, List.of()),
            RouteProbe.Answer.cannotSay("10.0.0.6"));
    assertThat(v.isTrue()).isTrue();
    assertThat(v.message())
        .isEqualTo(
            "every activator asked (2) routes generation 3 (1 of them too old to say, taken as"
                + " routing)");
  }

  @Test
  void anActivatorThatDoesNotRouteADomainTheFunctionHoldsIsBehind() {
    List<String> held = List.of("api.example.com", "www.example.com");
    Verdict v =
        RouteProbe.verdict(
            hello(),
            held,
            List.of(
                RouteProbe.Answer.routes("10.0.0.5", "uid-hello", 3, held),
                RouteProbe.Answer.routes("10.0.0.6", "uid-hello", 3, List.of("api.example.com"))),
            SERVICE);
    assertThat(v.reason()).isEqualTo("Routing");
    assertThat(v.message())
        .isEqualTo(
            "1 of 2 activators route generation 3 so far: 10.0.0.6 does not route"
                + " www.example.com yet");

    // More than it holds (a name it gave up, not yet forgotten) is no reason to wait.
    assertThat(
            RouteProbe.verdict(
                    hello(),
                    List.of("api.example.com"),
                    List.of(RouteProbe.Answer.routes("10.0.0.5", "uid-hello", 3, held)),
                    SERVICE)
                .isTrue())
        .isTrue();
  }

  @Test
  void noActivatorAtAllIsSaid() {
    Verdict v = verdict();
    assertThat(v.isWaiting()).isTrue();
    assertThat(v.reason()).isEqualTo("NoActivators");
    assertThat(v.message()).contains(SERVICE, "nothing routes requests to this Function");
  }

  @Test
  void theActivatorsAreAskedOverHttp() throws Exception {
    try (FakeActivator knows = new FakeActivator().routes("test", "hello", "uid-hello", 3);
        FakeActivator behind = new FakeActivator().routes("test", "hello", "uid-hello", 2)) {
      assertThat(probe(List.of(knows.admin())).ask(hello(), List.of()).join().reason())
          .isEqualTo("Routed");

      Verdict v = probe(List.of(knows.admin(), behind.admin())).ask(hello(), List.of()).join();
      assertThat(v.reason()).isEqualTo("Routing");
      assertThat(v.message()).endsWith("127.0.0.1 routes generation 2");

      behind.routes("test", "hello", "uid-hello", 3);
      assertThat(
              probe(List.of(knows.admin(), behind.admin())).ask(hello(), List.of()).join().isTrue())
          .isTrue();
    }
  }

  @Test
  void anActivatorFromBeforeTheQuestionAnswers404WithoutAReason() throws Exception {
    try (FakeActivator old = new FakeActivator().beforeRoutes();
        FakeActivator current = new FakeActivator()) {
      assertThat(probe(List.of(old.admin())).ask(hello(), List.of()).join().message())
          .endsWith("(1 of them too old to say, taken as routing)");
      // A current activator's 404 names its reason: it does not know the Function yet.
      assertThat(probe(List.of(current.admin())).ask(hello(), List.of()).join().reason())
          .isEqualTo("Routing");
    }
  }

  @Test
  void theDomainsAnActivatorRoutesAreReadFromItsAnswer() throws Exception {
    try (FakeActivator activator = new FakeActivator()) {
      activator.answers(
          "test",
          "hello",
          "{\"uid\":\"uid-hello\",\"generation\":3,\"domains\":[\"api.example.com\"]}");
      RouteProbe probe = probe(List.of(activator.admin()));

      assertThat(probe.ask(hello(), List.of("api.example.com")).join().isTrue()).isTrue();
      assertThat(probe.ask(hello(), List.of("api.example.com", "b.example.com")).join().message())
          .endsWith("127.0.0.1 does not route b.example.com yet");
    }
  }

  @Test
  void aSilentActivatorCostsAtMostTheTimeoutAndIsNamed() throws Exception {
    try (FakeActivator silent = new FakeActivator().silent()) {
      Verdict v = probe(List.of(silent.admin())).ask(hello(), List.of()).join();
      assertThat(v.reason()).isEqualTo("Routing");
      assertThat(v.message()).endsWith("127.0.0.1 no answer within 300 ms");
    }
  }

  @Test
  void anActivatorThatStallsInTheMiddleOfItsAnswerCostsAtMostTheTimeoutToo() throws Exception {
    try (FakeActivator stalled = new FakeActivator().stallsInTheBody()) {
      Verdict v = probe(List.of(stalled.admin())).ask(hello(), List.of()).join();
      assertThat(v.reason()).isEqualTo("Routing");
      assertThat(v.message()).endsWith("127.0.0.1 no answer within 300 ms");
    }
  }

  @Test
  void anAnswerThatIsNotAVersionOrTooLargeIsAProblemNotAnError() throws Exception {
    try (FakeActivator odd = new FakeActivator()) {
      odd.answers("test", "hello", "not json");
      assertThat(probe(List.of(odd.admin())).ask(hello(), List.of()).join().message())
          .contains("answered what is not a version");

      odd.answers("test", "hello", "{\"uid\":\"uid-hello\"}");
      assertThat(probe(List.of(odd.admin())).ask(hello(), List.of()).join().message())
          .contains("answered without a uid and a generation");

      odd.answers("test", "hello", "{\"uid\":\"" + "x".repeat(RouteProbe.MAX_ANSWER_BYTES) + "\"}");
      assertThat(probe(List.of(odd.admin())).ask(hello(), List.of()).join().message())
          .contains("cannot be asked: IOException");
    }
  }

  @Test
  void anActivatorThatRefusesConnectionsIsNamed() throws Exception {
    URI gone;
    try (FakeActivator closed = new FakeActivator()) {
      gone = closed.admin();
    }
    Verdict v = probe(List.of(gone)).ask(hello(), List.of()).join();
    assertThat(v.reason()).isEqualTo("Routing");
    assertThat(v.message()).contains("127.0.0.1 cannot be asked: ConnectException");
  }

  private static RouteProbe probe(List<URI> admins) {
    return new RouteProbe(
        () -> admins, HttpClient.newHttpClient(), Duration.ofMillis(300), SERVICE);
  }
}
