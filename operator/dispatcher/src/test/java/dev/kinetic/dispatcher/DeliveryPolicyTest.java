package dev.kinetic.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.DeliverySpec;
import dev.kinetic.dispatcher.DeliveryPolicy.Outcome;
import dev.kinetic.dispatcher.DeliveryPolicy.Verdict;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeliveryPolicyTest {
  private static final DeliveryPolicy POLICY =
      new DeliveryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));

  private static Outcome answered(int status) {
    return new Outcome.Answered(status, OptionalLong.empty());
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 202, 204})
  void a2xxIsDelivered(int status) {
    assertThat(POLICY.after(1, answered(status), () -> 0.5)).isEqualTo(new Verdict.Delivered());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 413, 422, 301})
  void anyOtherAnswerIsFinalAtOnce(int status) {
    assertThat(POLICY.after(1, answered(status), () -> 0.5))
        .isInstanceOfSatisfying(
            Verdict.GiveUp.class,
            g -> assertThat(g.why()).contains("answered " + status).contains("final"));
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void timeoutsThrottlingAndServerErrorsAreRetried(int status) {
    assertThat(POLICY.after(1, answered(status), () -> 0.5)).isInstanceOf(Verdict.Retry.class);
  }

  @Test
  void noAnswerIsRetried() {
    assertThat(POLICY.after(1, new Outcome.NoAnswer("could not connect"), () -> 0.5))
        .isInstanceOf(Verdict.Retry.class);
  }

  @Test
  void theBackoffDoublesUpToTheMaximumWithAtMostHalfTakenOffByJitter() {
    Outcome failed = answered(500);
    assertThat(wait(1, failed, 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(wait(1, failed, 0.999)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
    assertThat(wait(2, failed, 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(wait(3, failed, 0.0)).isEqualTo(Duration.ofSeconds(2));
    DeliveryPolicy many =
        new DeliveryPolicy(
            10, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
    assertThat(((Verdict.Retry) many.after(9, failed, () -> 0.0)).after())
        .isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void aRetryAfterLongerThanTheBackoffIsHonouredUpToTheMaximum() {
    assertThat(wait(1, new Outcome.Answered(503, OptionalLong.of(3)), 0.0))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(wait(1, new Outcome.Answered(503, OptionalLong.of(3600)), 0.0))
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theLastRetryIsFollowedByGivingUpNamingTheAttempts() {
    assertThat(POLICY.after(3, answered(500), () -> 0.5)).isInstanceOf(Verdict.Retry.class);
    assertThat(POLICY.after(4, answered(500), () -> 0.5))
        .isInstanceOfSatisfying(
            Verdict.GiveUp.class, g -> assertThat(g.why()).contains("attempt 4 of 4"));
  }

  @Test
  void theSpecsDefaultsAndTheFunctionsTimeoutBoundTheAttempt() {
    DeliveryPolicy defaults = DeliveryPolicy.of(null, 30);
    assertThat(defaults)
        .isEqualTo(
            new DeliveryPolicy(
                3, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30)));
    DeliverySpec longer = new DeliverySpec();
    longer.setTimeoutSeconds(120);
    assertThat(DeliveryPolicy.of(longer, 30).attemptTimeout()).isEqualTo(Duration.ofSeconds(30));
    DeliverySpec shorter = new DeliverySpec();
    shorter.setTimeoutSeconds(5);
    shorter.setRetries(0);
    shorter.setMinBackoff("200ms");
    shorter.setMaxBackoff("2s");
    assertThat(DeliveryPolicy.of(shorter, 30))
        .isEqualTo(
            new DeliveryPolicy(
                0, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  private static Duration wait(int attempt, Outcome outcome, double jitter) {
    return ((Verdict.Retry) POLICY.after(attempt, outcome, () -> jitter)).after();
  }
}
