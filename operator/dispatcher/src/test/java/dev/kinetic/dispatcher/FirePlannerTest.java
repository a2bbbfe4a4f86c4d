package dev.kinetic.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.dispatcher.FirePlanner.Action;
import dev.kinetic.dispatcher.FirePlanner.Plan;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FirePlannerTest {
  private static final CronSchedule EVERY_MINUTE = CronSchedule.parse("* * * * *", "UTC");
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static Instant t(String time) {
    return Instant.parse("2026-03-01T" + time + "Z");
  }

  private static Plan plan(String handled, String now) {
    return FirePlanner.plan(EVERY_MINUTE, t(handled), t(now), DEADLINE, false, false);
  }

  @Test
  void aTimeJustReachedFiresAndTheNextIsOneMinuteOn() {
    Plan plan = plan("10:00:00", "10:01:00.020");
    assertThat(plan.action()).isEqualTo(Action.FIRE);
    assertThat(plan.scheduled()).contains(t("10:01:00"));
    assertThat(plan.handledUpTo()).isEqualTo(t("10:01:00"));
    assertThat(plan.next()).contains(t("10:02:00"));
  }

  @Test
  void aTimeAlreadyHandledIsNotFiredAgain() {
    Plan plan = plan("10:01:00", "10:01:30");
    assertThat(plan.action()).isEqualTo(Action.WAIT);
    assertThat(plan.handledUpTo()).isEqualTo(t("10:01:00"));
    assertThat(plan.next()).contains(t("10:02:00"));
  }

  @Test
  void aWakeUpAMomentEarlyWaitsForTheScheduledTime() {
    Plan plan = plan("10:00:00", "10:00:59.999");
    assertThat(plan.action()).isEqualTo(Action.WAIT);
    assertThat(plan.next()).contains(t("10:01:00"));
  }

  @Test
  void afterAnHourDownOnlyTheLatestMissedTimeIsConsideredAndItFiresWithinTheDeadline() {
    Plan plan = plan("09:00:00", "10:00:30");
    assertThat(plan.action()).isEqualTo(Action.FIRE);
    assertThat(plan.scheduled()).contains(t("10:00:00"));
    // The 59 times before it are behind the record now: no storm of catch-up events.
    Plan after =
        FirePlanner.plan(EVERY_MINUTE, plan.handledUpTo(), t("10:00:31"), DEADLINE, false, false);
    assertThat(after.action()).isEqualTo(Action.WAIT);
  }

  @Test
  void aTimeFoundAfterItsDeadlineIsSkippedNotSentLate() {
    CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");
    Plan plan = FirePlanner.plan(hourly, t("08:00:00"), t("09:01:01"), DEADLINE, false, false);
    assertThat(plan.action()).isEqualTo(Action.SKIP_LATE);
    assertThat(plan.scheduled()).contains(t("09:00:00"));
    assertThat(plan.handledUpTo()).isEqualTo(t("09:00:00"));
    assertThat(plan.next()).contains(t("10:00:00"));
  }

  @Test
  void aTimeFoundExactlyAtItsDeadlineStillFires() {
    CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");
    Plan plan = FirePlanner.plan(hourly, t("08:00:00"), t("09:01:00"), DEADLINE, false, false);
    assertThat(plan.action()).isEqualTo(Action.FIRE);
  }

  @Test
  void forbidSkipsATimeWhileThePreviousFireRunsAndAllowFiresIt() {
    Plan forbid =
        FirePlanner.plan(EVERY_MINUTE, t("10:00:00"), t("10:01:00"), DEADLINE, true, true);
    Plan allow =
        FirePlanner.plan(EVERY_MINUTE, t("10:00:00"), t("10:01:00"), DEADLINE, false, true);
    Plan forbidIdle =
        FirePlanner.plan(EVERY_MINUTE, t("10:00:00"), t("10:01:00"), DEADLINE, true, false);
    assertThat(forbid.action()).isEqualTo(Action.SKIP_STILL_RUNNING);
    assertThat(forbid.handledUpTo()).isEqualTo(t("10:01:00"));
    assertThat(allow.action()).isEqualTo(Action.FIRE);
    assertThat(forbidIdle.action()).isEqualTo(Action.FIRE);
  }

  @Test
  void aScheduleThatNeverFiresWaitsWithNoNextTime() {
    CronSchedule never = CronSchedule.parse("0 0 31 2 *", "UTC");
    Plan plan = FirePlanner.plan(never, t("10:00:00"), t("10:00:00"), DEADLINE, false, false);
    assertThat(plan.action()).isEqualTo(Action.WAIT);
    assertThat(plan.next()).isEmpty();
  }

  @Test
  void nothingBeforeTheTriggersCreationFires() {
    // Created at 10:00:30: the 10:00:00 time is before it and never fires.
    Plan plan = plan("10:00:30", "10:00:40");
    assertThat(plan.action()).isEqualTo(Action.WAIT);
    assertThat(plan.next()).contains(t("10:01:00"));
  }

  @Test
  void acrossTheAutumnChangeADailyLocalTimeFiresOncePerDay() {
    CronSchedule at0230 = CronSchedule.parse("30 2 * * *", "Europe/Paris");
    Instant handled = Instant.parse("2026-10-24T00:30:00Z"); // Saturday 02:30 CEST
    int fires = 0;
    // Every minute of Sunday 25 October (25 hours long in Paris), as a dispatcher would wake.
    for (Instant now = Instant.parse("2026-10-24T22:00:00Z");
        now.isBefore(Instant.parse("2026-10-25T23:00:00Z"));
        now = now.plusSeconds(60)) {
      Plan plan = FirePlanner.plan(at0230, handled, now, DEADLINE, false, false);
      if (plan.action() == Action.FIRE) {
        fires++;
      }
      handled = plan.handledUpTo();
    }
    assertThat(fires).isEqualTo(1);
  }
}
