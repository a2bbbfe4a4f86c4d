package dev.kinetic.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "*/5 * * * *      | UTC           | 2026-03-01T10:02:00Z | 2026-03-01T10:05:00Z",
        "0 9 * * 1-5      | Europe/Paris  | 2026-03-06T09:00:00Z | 2026-03-09T08:00:00Z",
        "*/2 * * * * *    | UTC           | 2026-03-01T10:00:01Z | 2026-03-01T10:00:02Z",
        "@daily           | UTC           | 2026-03-01T10:00:00Z | 2026-03-02T00:00:00Z",
        "@hourly          | Asia/Kolkata  | 2026-03-01T10:00:00Z | 2026-03-01T10:30:00Z",
        "0 0 29 2 *       | UTC           | 2026-03-01T00:00:00Z | 2028-02-29T00:00:00Z",
      })
  void theNextTimeIsTheFirstStrictlyAfter(String cron, String zone, String after, String next) {
    assertThat(CronSchedule.parse(cron.trim(), zone.trim()).nextAfter(Instant.parse(after.trim())))
        .contains(Instant.parse(next.trim()));
  }

  @Test
  void theNextTimeIsAWholeSecondWhateverTheFractionOfTheInstant() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", "UTC");
    assertThat(everySecond.nextAfter(Instant.parse("2026-03-01T10:00:00.834353685Z")))
        .contains(Instant.parse("2026-03-01T10:00:01Z"));
    assertThat(everySecond.nextAfter(Instant.parse("2026-03-01T10:00:00Z")))
        .contains(Instant.parse("2026-03-01T10:00:01Z"));
  }

  @Test
  void anExpressionThatNeverMatchesHasNoNextTime() {
    CronSchedule never = CronSchedule.parse("0 0 31 2 *", "UTC");
    assertThat(never.nextAfter(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
    assertThat(never.latestAtOrBefore(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
  }

  @Test
  void theLatestTimeIncludesTheInstantItself() {
    CronSchedule everyMinute = CronSchedule.parse("* * * * *", "UTC");
    assertThat(everyMinute.latestAtOrBefore(Instant.parse("2026-03-01T10:00:00Z")))
        .contains(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(everyMinute.latestAtOrBefore(Instant.parse("2026-03-01T10:00:00.500Z")))
        .contains(Instant.parse("2026-03-01T10:00:00Z"));
  }

  @Test
  void aDailyTimeInTheGapOfTheSpringChangeDoesNotFireThatDayAsInACronJob() {
    // Europe/Paris skips 02:00-03:00 on 2026-03-29: 02:30 does not exist that day. Kubernetes'
    // CronJob (and Knative's PingSource) skip it too; the next fire is Monday's 02:30.
    CronSchedule at0230 = CronSchedule.parse("30 2 * * *", "Europe/Paris");
    Instant saturday = Instant.parse("2026-03-28T01:30:00Z"); // 02:30 CET
    assertThat(at0230.nextAfter(saturday)).contains(Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void anHourlyScheduleKeepsFiringEveryHourThroughTheSpringChange() {
    CronSchedule hourly = CronSchedule.parse("15 * * * *", "Europe/Paris");
    Instant at0015Utc = Instant.parse("2026-03-29T00:15:00Z"); // 01:15 CET
    assertThat(hourly.nextAfter(at0015Utc)).contains(Instant.parse("2026-03-29T01:15:00Z"));
  }

  @Test
  void aDailyTimeInTheRepeatedHourOfTheAutumnChangeFiresOnce() {
    // Europe/Paris goes through 02:00-03:00 twice on 2026-10-25.
    CronSchedule at0230 = CronSchedule.parse("30 2 * * *", "Europe/Paris");
    Instant first = at0230.nextAfter(Instant.parse("2026-10-24T23:00:00Z")).orElseThrow();
    Instant second = at0230.nextAfter(first).orElseThrow();
    assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST
    assertThat(second).isEqualTo(Instant.parse("2026-10-26T01:30:00Z")); // next day, 02:30 CET
    assertThat(at0230.latestAtOrBefore(Instant.parse("2026-10-25T01:45:00Z"))).contains(first);
  }

  @Test
  void aScheduleWithEveryHourFiresThroughBothPassesOfTheRepeatedHour() {
    CronSchedule quarterPast = CronSchedule.parse("15 * * * *", "Europe/Paris");
    Instant first = Instant.parse("2026-10-25T00:15:00Z"); // 02:15 CEST
    assertThat(quarterPast.nextAfter(first)).contains(Instant.parse("2026-10-25T01:15:00Z"));
  }

  @Test
  void aFiveFieldTimeIsAWholeMinute() {
    CronSchedule everyMinute = CronSchedule.parse("* * * * *", "UTC");
    assertThat(everyMinute.latestAtOrBefore(Instant.parse("2026-03-01T10:00:30Z")))
        .contains(Instant.parse("2026-03-01T10:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "* * * *        | has 4 fields",
        "61 * * * *     | does not parse",
        "*/0 * * * *    | has a step of 0 (/0), which repeats nothing",
        "0 1-10/00 * * *| has a step of 0 (/0)",
        "* * * * * * *  | has 7 fields",
        "@fortnightly   | has 1 fields",
      })
  void aBadExpressionIsAnInvalidScheduleNamingIt(String cron, String says) {
    assertThatThrownBy(() -> CronSchedule.parse(cron.trim(), "UTC"))
        .isInstanceOfSatisfying(
            TriggerProblem.class,
            p -> assertThat(p.reason()).isEqualTo(TriggerProblem.INVALID_SCHEDULE))
        .hasMessageContaining("schedule.cron '" + cron.trim() + "'")
        .hasMessageContaining(says.trim());
  }

  @Test
  void anUnknownZoneIsAnInvalidTimeZoneNamingIt() {
    assertThatThrownBy(() -> CronSchedule.parse("* * * * *", "Mars/Olympus"))
        .isInstanceOfSatisfying(
            TriggerProblem.class,
            p -> assertThat(p.reason()).isEqualTo(TriggerProblem.INVALID_TIME_ZONE))
        .hasMessageContaining("'Mars/Olympus'");
  }
}
