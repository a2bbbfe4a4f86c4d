package dev.kinetic.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.operator.Functions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StatusCalculatorTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-25T10:05:00Z");

  private static final Supplier<Verdict> ROUTED =
      () -> Verdict.ok("Routed", "every activator asked (2) routes generation 1");

  /** For a status that must not cost a request to each activator. */
  private static final Supplier<Verdict> NOT_ASKED =
      () -> {
        throw new AssertionError("the activators were asked");
      };

  private static StatusCalculator at(Instant now) {
    return new StatusCalculator(Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void readyFollowsTheDeploymentAndReportsCounts() {
    Function function = Functions.function("hello", "img:1");
    FunctionStatus status =
        status(
            at(T0),
            function,
            Optional.empty(),
            DeploymentHealthTest.deployment(1, 1, 2, 2, 1),
            ROUTED);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("Available");
    assertThat(condition(status, "DeploymentReady").getStatus()).isEqualTo("True");
    assertThat(status.getReplicas()).isEqualTo(2);
    assertThat(status.getReadyReplicas()).isEqualTo(1);
    assertThat(status.getUrl()).isEqualTo("http://x");
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
  }

  @Test
  void readyWaitsUntilEveryActivatorRoutesTheFunction() {
    Verdict routing =
        Verdict.waiting("Routing", "1 of 2 activators route generation 1 so far: 10.0.0.7 ...");
    FunctionStatus status =
        status(
            at(T0),
            Functions.function("hello", "img:1"),
            Optional.empty(),
            DeploymentHealthTest.deployment(1, 1, 2, 2, 1),
            () -> routing);
    assertThat(condition(status, "DeploymentReady").getReason()).isEqualTo("Available");
    assertThat(condition(status, "RoutesReady").getStatus()).isEqualTo("Unknown");
    Condition ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("Routing");
    assertThat(ready.getMessage()).isEqualTo(routing.message());
  }

  @Test
  void activatorsNotAskedLeaveRoutesReadyAsItWas() {
    Verdict limit = Verdict.failed("ExceedsPlatformLimit", "spec.scale.max is 50, above 20");
    Function function = Functions.function("hello", "img:1");
    function.setStatus(
        status(
            at(T0),
            function,
            Optional.empty(),
            DeploymentHealthTest.deployment(1, 1, 1, 1, 1),
            ROUTED));

    FunctionStatus status =
        status(
            at(T1),
            function,
            Optional.of(limit),
            DeploymentHealthTest.deployment(1, 1, 1, 1, 1),
            NOT_ASKED);
    assertThat(condition(status, "RoutesReady").getReason()).isEqualTo("Routed");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ExceedsPlatformLimit");
  }

  @Test
  void neverClaimsReadyWithoutReadyPodsAndThenDoesNotAskTheActivators() {
    FunctionStatus status =
        status(
            at(T0),
            Functions.function("hello", "img:1"),
            Optional.empty(),
            DeploymentHealthTest.deployment(1, 1, 1, 1, 0),
            NOT_ASKED);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("Unknown");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("PodsNotReady");
    assertThat(Conditions.find(status.getConditions(), "RoutesReady")).isEmpty();
  }

  @Test
  void aSpecProblemMakesReadyFalseButKeepsReportingTheRunningDeployment() {
    Verdict limit =
        Verdict.failed(
            "ExceedsPlatformLimit", "spec.scale.max is 50, above the platform limit of 10");
    FunctionStatus status =
        status(
            at(T0),
            Functions.function("hello", "img:1"),
            Optional.of(limit),
            DeploymentHealthTest.deployment(1, 1, 1, 1, 1),
            ROUTED);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("ExceedsPlatformLimit");
    assertThat(condition(status, "Ready").getMessage()).contains("spec.scale.max is 50");
    assertThat(condition(status, "DeploymentReady").getStatus()).isEqualTo("True");
  }

  @Test
  void aSpecRefusedBeforeAnyDeploymentSaysNoneIsComingOnBothConditions() {
    Verdict invalid =
        Verdict.failed("InvalidSpec", "spec.volumes[cache].emptyDir.sizeLimit: 'a lot' is not …");
    FunctionStatus status =
        at(T0)
            .compute(
                Functions.function("hello", "img:1"),
                Optional.of(invalid),
                null,
                false,
                ROUTED,
                ObservedPods.NONE,
                "http://x");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("InvalidSpec");
    Condition deployment = condition(status, "DeploymentReady");
    assertThat(deployment.getStatus()).isEqualTo("False");
    assertThat(deployment.getReason()).isEqualTo("InvalidSpec");
    assertThat(deployment.getMessage())
        .isEqualTo("no Deployment until the spec is fixed: " + invalid.message());
    assertThat(status.getUrl()).isNull();
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusChanges() {
    Function function = Functions.function("hello", "img:1");
    function.setStatus(
        at(T0)
            .compute(
                function,
                Optional.empty(),
                DeploymentHealthTest.deployment(1, 1, 1, 1, 0),
                true,
                ROUTED,
                ObservedPods.NONE,
                "u"));
    assertThat(condition(function.getStatus(), "Ready").getLastTransitionTime())
        .isEqualTo("2026-11-25T10:00:00Z");

    // Same status (Unknown), different reason: the time stays.
    FunctionStatus rolling =
        at(T1)
            .compute(
                function,
                Optional.empty(),
                DeploymentHealthTest.deployment(2, 1, 1, 1, 0),
                true,
                ROUTED,
                ObservedPods.NONE,
                "u");
    assertThat(condition(rolling, "Ready").getReason()).isEqualTo("Deploying");
    assertThat(condition(rolling, "Ready").getLastTransitionTime())
        .isEqualTo("2026-11-25T10:00:00Z");

    // Unknown -> True: the time moves.
    FunctionStatus ready =
        at(T1)
            .compute(
                function,
                Optional.empty(),
                DeploymentHealthTest.deployment(1, 1, 1, 1, 1),
                true,
                ROUTED,
                ObservedPods.NONE,
                "u");
    assertThat(condition(ready, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T10:05:00Z");
  }

  @Test
  void withoutBothServicesThereIsNoUrlAndNoReady() {
    FunctionStatus status =
        at(T0)
            .compute(
                Functions.function("hello", "img:1"),
                Optional.empty(),
                DeploymentHealthTest.deployment(1, 1, 1, 1, 1),
                false,
                ROUTED,
                ObservedPods.NONE,
                "http://x");
    assertThat(status.getUrl()).isNull();
    assertThat(condition(status, "Ready").getReason()).isEqualTo("CreatingService");
  }

  /** The status with both Services in place and no pod observed, as most rows need. */
  private static FunctionStatus status(
      StatusCalculator calculator,
      Function function,
      Optional<Verdict> specProblem,
      Deployment deployment,
      Supplier<Verdict> routes) {
    return calculator.compute(
        function, specProblem, deployment, true, routes, ObservedPods.NONE, "http://x");
  }

  static Condition condition(FunctionStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow();
  }
}
