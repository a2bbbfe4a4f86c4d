package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.AnyType;

/**
 * A cron schedule, with the choices a CronJob offers. The expression and the time zone are parsed
 * by the dispatcher (a CEL rule cannot parse cron); what does not parse is reported in the status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSpec {
  public static final String ALLOW = "Allow";
  public static final String FORBID = "Forbid";
  public static final int DEFAULT_STARTING_DEADLINE_SECONDS = 60;

  @Required
  @Size(min = 1, max = 128)
  // Five fields (minute hour day-of-month month day-of-week), six with seconds first, or a macro.
  // A rule rather than a pattern: the API server words a pattern as the regex itself.
  @ValidationRule(
      value =
          "self.matches('^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\\\\S+("
              + " +\\\\S+){4,5})$')",
      message =
          "schedule.cron must be five fields (minute hour day-of-month month day-of-week), six"
              + " with seconds first, or @yearly, @monthly, @weekly, @daily or @hourly")
  @JsonPropertyDescription(
      "When to fire: a cron expression of five fields (minute hour day-of-month month"
          + " day-of-week), of six with seconds first, or @hourly, @daily, @weekly, @monthly,"
          + " @yearly.")
  private String cron;

  @Size(min = 1, max = 64)
  @Pattern("^[A-Za-z0-9_+\\-]+(/[A-Za-z0-9_+\\-]+)*$")
  @Default("UTC")
  @JsonPropertyDescription(
      "IANA time zone the expression is read in, e.g. Europe/Paris. Default UTC.")
  private String timeZone;

  @JsonPropertyDescription("JSON sent as the event's data with every fire. Default: no data.")
  private AnyType payload;

  @Min(1)
  @Max(86400)
  @Default("60")
  @JsonPropertyDescription(
      "A fire found later than this many seconds after its scheduled time (the dispatcher was"
          + " down or busy) is skipped, never sent late. Only the latest missed time is ever"
          + " caught up. Default 60.")
  private Integer startingDeadlineSeconds;

  @Pattern("^(Allow|Forbid)$")
  @Default(ALLOW)
  @JsonPropertyDescription(
      "Allow: a fire may start while the previous one is still being delivered. Forbid: such a"
          + " fire is skipped. Default Allow.")
  private String concurrencyPolicy;

  public String getCron() {
    return cron;
  }

  public void setCron(String cron) {
    this.cron = cron;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public AnyType getPayload() {
    return payload;
  }

  public void setPayload(AnyType payload) {
    this.payload = payload;
  }

  public Integer getStartingDeadlineSeconds() {
    return startingDeadlineSeconds;
  }

  public void setStartingDeadlineSeconds(Integer startingDeadlineSeconds) {
    this.startingDeadlineSeconds = startingDeadlineSeconds;
  }

  public String getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(String concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }
}
