package dev.kinetic.dispatcher;

/**
 * Why a Trigger cannot fire, as a status condition's reason and message. Thrown where a spec is
 * read; never a Java exception's text in the status.
 */
public final class TriggerProblem extends IllegalArgumentException {
  public static final String INVALID_SCHEDULE = "InvalidSchedule";
  public static final String INVALID_TIME_ZONE = "InvalidTimeZone";
  public static final String UNSUPPORTED_SOURCE = "UnsupportedSource";
  public static final String KAFKA_UNREACHABLE = "KafkaUnreachable";
  public static final String TOPIC_NOT_FOUND = "TopicNotFound";
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  public static final String NOT_AUTHORIZED = "NotAuthorized";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";

  private final String reason;

  public TriggerProblem(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
