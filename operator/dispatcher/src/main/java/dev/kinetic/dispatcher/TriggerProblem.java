package dev.kinetic.dispatcher;

/**
 * Why a Trigger cannot fire, as a status condition's reason and message. Thrown where a spec is
 * read; never a Java exception's text in the status.
 */
public final class TriggerProblem extends IllegalArgumentException {
  public static final String INVALID_SCHEDULE = "InvalidSchedule";
  public static final String INVALID_TIME_ZONE = "InvalidTimeZone";

  private final String reason;

  public TriggerProblem(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
