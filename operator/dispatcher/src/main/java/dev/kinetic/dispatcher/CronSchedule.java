package dev.kinetic.dispatcher;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A cron expression read in a time zone: five fields (minute hour day-of-month month day-of-week)
 * as a CronJob reads them, six with seconds first, or a macro such as {@code @daily}. Parsing and
 * the calendar arithmetic (month lengths, leap years, daylight saving) are cron-utils'.
 */
public final class CronSchedule {
  private static final CronParser FIVE_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  /** The macros a CronJob accepts, as the expressions they stand for. */
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  // A step of zero in any field: */0, 5/00, 1-10/0.
  private static final Pattern ZERO_STEP = Pattern.compile("/0+(?![0-9])");

  private final String text;
  private final ZoneId zone;
  private final ExecutionTime times;
  private final boolean everyHour;

  private CronSchedule(String text, ZoneId zone, Cron cron) {
    this.text = text;
    this.zone = zone;
    this.times = ExecutionTime.forCron(cron);
    this.everyHour = cron.retrieve(CronFieldName.HOUR).getExpression() instanceof Always;
  }

  /**
   * @param zone an IANA name; null or empty means UTC
   * @throws TriggerProblem naming the expression or the zone that does not parse
   */
  public static CronSchedule parse(String expression, String zone) {
    ZoneId zoneId = zone(zone);
    String text = expression == null ? "" : expression.trim();
    String expanded = MACROS.getOrDefault(text, text);
    int fields = expanded.isEmpty() ? 0 : expanded.split("\\s+").length;
    CronParser parser =
        switch (fields) {
          case 5 -> FIVE_FIELDS;
          case 6 -> SIX_FIELDS;
          default ->
              throw new TriggerProblem(
                  TriggerProblem.INVALID_SCHEDULE,
                  "schedule.cron '"
                      + text
                      + "' has "
                      + fields
                      + " fields: give five (minute hour day-of-month month day-of-week), six"
                      + " with seconds first, or a macro such as @daily");
        };
    if (ZERO_STEP.matcher(expanded).find()) {
      // cron-utils says "Period 0 not in range [0, 59]" of it, which reads as a contradiction.
      throw new TriggerProblem(
          TriggerProblem.INVALID_SCHEDULE,
          "schedule.cron '" + text + "' has a step of 0 (/0), which repeats nothing: use /1 or *");
    }
    Cron cron;
    try {
      cron = parser.parse(expanded).validate();
    } catch (IllegalArgumentException e) {
      throw new TriggerProblem(
          TriggerProblem.INVALID_SCHEDULE,
          "schedule.cron '" + text + "' does not parse: " + e.getMessage());
    }
    return new CronSchedule(text, zoneId, cron);
  }

  private static ZoneId zone(String zone) {
    if (zone == null || zone.isEmpty()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new TriggerProblem(
          TriggerProblem.INVALID_TIME_ZONE,
          "schedule.timeZone '" + zone + "' is not an IANA time zone such as Europe/Paris or UTC");
    }
  }

  /** The first scheduled time strictly after {@code instant}; empty if there is none. */
  public Optional<Instant> nextAfter(Instant instant) {
    // From the whole second: cron-utils keeps the fraction of its input in a seconds-field
    // answer (10:00:00.834 gave 10:00:01.834), which would fire every event that late.
    Optional<ZonedDateTime> next =
        times.nextExecution(ZonedDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), zone));
    while (next.isPresent() && isRepeat(next.get())) {
      next = times.nextExecution(next.get());
    }
    return next.map(ZonedDateTime::toInstant);
  }

  /** The last scheduled time at or before {@code instant}; empty if there is none. */
  public Optional<Instant> latestAtOrBefore(Instant instant) {
    // Scheduled times are whole seconds: the latest at or before a whole second is the next after
    // the second before it, if that is the second itself (cron-utils' lastExecution is strict).
    Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
    Optional<Instant> atSecond = nextAfter(second.minusSeconds(1)).filter(second::equals);
    if (atSecond.isPresent()) {
      return atSecond;
    }
    Optional<ZonedDateTime> last = times.lastExecution(ZonedDateTime.ofInstant(second, zone));
    while (last.isPresent() && isRepeat(last.get())) {
      last = times.lastExecution(last.get());
    }
    return last.map(ZonedDateTime::toInstant);
  }

  /**
   * Whether {@code time} is the second pass through a wall-clock time that the autumn change
   * repeats, for an expression with a fixed hour: "30 2 * * *" fires once that night, as in Vixie
   * cron, while "15 * * * *" (every hour) fires through both passes.
   */
  private boolean isRepeat(ZonedDateTime time) {
    return !everyHour && !time.withEarlierOffsetAtOverlap().toInstant().equals(time.toInstant());
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return text + " (" + zone + ")";
  }
}
