package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The latest event a Trigger gave up on, kept in its status: the Events that also say so expire
 * after an hour, and a report that failed at night is looked into in the morning.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerFailure {
  @JsonPropertyDescription("When it was given up on (RFC 3339).")
  private String time;

  @JsonPropertyDescription(
      "Which event, and why: the function's final answer, or the retries spent and the last"
          + " answer, e.g. 'event …/2026-12-07T02:00:00Z to report: HTTP 500 after 3 attempts'.")
  private String message;

  public TriggerFailure() {}

  public TriggerFailure(String time, String message) {
    this.time = time;
    this.message = message;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
