package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How hard the dispatcher tries to deliver one event. Connection errors, timeouts, 408, 429 and 5xx
 * are retried with exponential back-off and jitter; any other answer is final.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.minBackoff) || !has(self.maxBackoff) || !self.minBackoff.matches('"
            + Durations.PATTERN
            + "') || !self.maxBackoff.matches('"
            + Durations.PATTERN
            + "') || duration(self.minBackoff) <= duration(self.maxBackoff)",
    message = "delivery.minBackoff must be less than or equal to delivery.maxBackoff")
public class DeliverySpec {
  public static final int DEFAULT_RETRIES = 3;
  public static final int MAX_RETRIES = 10;
  public static final String DEFAULT_MIN_BACKOFF = "1s";
  public static final String DEFAULT_MAX_BACKOFF = "60s";

  @Min(0)
  @Max(MAX_RETRIES)
  @Default("3")
  @JsonPropertyDescription("Attempts after the first one. Default 3.")
  private Integer retries;

  @Size(max = 32)
  @ValidationRule(
      value = Durations.CEL_IS_DURATION,
      message = "delivery.minBackoff must be a duration such as 500ms, 1s or 2m")
  @ValidationRule(
      value =
          Durations.CEL_IF_DURATION
              + "(duration(self) >= duration('100ms') && duration(self) <= duration('1h'))",
      message = "delivery.minBackoff must be between 100ms and 1h")
  @Default(DEFAULT_MIN_BACKOFF)
  @JsonPropertyDescription("Wait before the first retry; doubled for each next one. Default 1s.")
  private String minBackoff;

  @Size(max = 32)
  @ValidationRule(
      value = Durations.CEL_IS_DURATION,
      message = "delivery.maxBackoff must be a duration such as 30s, 5m or 1h")
  @ValidationRule(
      value =
          Durations.CEL_IF_DURATION
              + "(duration(self) >= duration('100ms') && duration(self) <= duration('1h'))",
      message = "delivery.maxBackoff must be between 100ms and 1h")
  @Default(DEFAULT_MAX_BACKOFF)
  @JsonPropertyDescription(
      "Longest wait between attempts, also for a Retry-After the function asks for. Default 60s.")
  private String maxBackoff;

  @Min(1)
  @Max(FunctionSpec.MAX_TIMEOUT_SECONDS)
  @JsonPropertyDescription(
      "Seconds one attempt may take. Default and upper bound: the Function's timeoutSeconds.")
  private Integer timeoutSeconds;

  @Size(min = 1, max = 63)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "A Function of the Trigger's namespace that receives each event given up on, as it was,"
          + " with the CloudEvent extensions kineticerror (why) and kineticerrorfunction (the"
          + " Function that did not take it), delivered with these same retries. A Kafka Trigger"
          + " has either this or kafka.deadLetterTopic.")
  private String deadLetterFunction;

  public String getDeadLetterFunction() {
    return deadLetterFunction;
  }

  public void setDeadLetterFunction(String deadLetterFunction) {
    this.deadLetterFunction = deadLetterFunction;
  }

  public Integer getRetries() {
    return retries;
  }

  public void setRetries(Integer retries) {
    this.retries = retries;
  }

  public String getMinBackoff() {
    return minBackoff;
  }

  public void setMinBackoff(String minBackoff) {
    this.minBackoff = minBackoff;
  }

  public String getMaxBackoff() {
    return maxBackoff;
  }

  public void setMaxBackoff(String maxBackoff) {
    this.maxBackoff = maxBackoff;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }
}
