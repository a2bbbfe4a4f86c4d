package dev.kinetic.dispatcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.TriggerStatus;
import dev.kinetic.dispatcher.TriggerCounts;
import dev.kinetic.dispatcher.TriggerState;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerStatusesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-03-01T10:05:00Z");

  private static TriggerState state(boolean ready, String reason, long delivered) {
    return new TriggerState(
        3,
        new TriggerState.Readiness(ready, reason, "why"),
        Optional.of(Instant.parse("2026-03-01T09:59:00Z")),
        Optional.of(Instant.parse("2026-03-01T10:00:00Z")),
        java.util.OptionalLong.empty(),
        new TriggerState.Outcomes(
            new TriggerCounts(delivered + 1, delivered, 1, 2, 0),
            Optional.of(Instant.parse("2026-03-01T09:58:00Z")),
            Optional.of(
                new TriggerState.Failure(
                    Instant.parse("2026-03-01T09:57:30Z"), "event e-1 to report: answered 500"))));
  }

  @Test
  void theStatusCarriesTheTimesTheCountsAndTheCondition() {
    TriggerStatus status = TriggerStatuses.desired(state(true, "Scheduled", 7), null, T0);

    assertThat(status.getObservedGeneration()).isEqualTo(3);
    assertThat(status.getLastFireTime()).isEqualTo("2026-03-01T09:59:00Z");
    assertThat(status.getNextFireTime()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(status.getLastSuccessfulTime()).isEqualTo("2026-03-01T09:58:00Z");
    assertThat(status.getLastFailure().getTime()).isEqualTo("2026-03-01T09:57:30Z");
    assertThat(status.getLastFailure().getMessage()).isEqualTo("event e-1 to report: answered 500");
    assertThat(status.getDelivered()).isEqualTo(7);
    assertThat(status.getFailed()).isEqualTo(1);
    assertThat(status.getSkipped()).isEqualTo(2);
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Scheduled");
              assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString());
              assertThat(c.getObservedGeneration()).isEqualTo(3);
            });
  }

  @Test
  void anUnchangedConditionKeepsItsTransitionTimeAndAChangedOneTakesNow() {
    TriggerStatus before = TriggerStatuses.desired(state(true, "Scheduled", 1), null, T0);

    TriggerStatus counted = TriggerStatuses.desired(state(true, "Scheduled", 2), before, T1);
    TriggerStatus lost = TriggerStatuses.desired(state(false, "FunctionNotFound", 2), before, T1);

    assertThat(counted.getConditions().get(0).getLastTransitionTime()).isEqualTo(T0.toString());
    assertThat(lost.getConditions().get(0).getLastTransitionTime()).isEqualTo(T1.toString());
    assertThat(lost.getConditions().get(0).getStatus()).isEqualTo("False");
  }

  @Test
  void notYetScheduledIsUnknown() {
    assertThat(
            TriggerStatuses.desired(state(false, TriggerState.PENDING, 0), null, T0)
                .getConditions()
                .get(0)
                .getStatus())
        .isEqualTo("Unknown");
  }

  @Test
  void aMergePatchNamesWithNullWhatTheNewStatusNoLongerHas() {
    TriggerStatus scheduled = TriggerStatuses.desired(state(true, "Scheduled", 4), null, T0);
    TriggerState suspendedState =
        new TriggerState(
            3,
            new TriggerState.Readiness(true, TriggerState.SUSPENDED, "suspended"),
            Optional.of(Instant.parse("2026-03-01T09:59:00Z")),
            Optional.empty(),
            java.util.OptionalLong.empty(),
            new TriggerState.Outcomes(
                new TriggerCounts(5, 4, 1, 2, 0), Optional.empty(), Optional.empty()));
    TriggerStatus suspended = TriggerStatuses.desired(suspendedState, scheduled, T1);

    var patch = TriggerStatuses.mergePatch(suspended, scheduled).get("status");

    assertThat(patch.get("nextFireTime").isNull()).as("removed by the patch").isTrue();
    assertThat(patch.get("lastFireTime").asText()).isEqualTo("2026-03-01T09:59:00Z");
    assertThat(patch.get("delivered").asLong()).isEqualTo(4);
    assertThat(patch.get("conditions").get(0).get("reason").asText()).isEqualTo("Suspended");
    assertThat(TriggerStatuses.mergePatch(scheduled, null).get("status").has("nextFireTime"))
        .isTrue();
  }
}
