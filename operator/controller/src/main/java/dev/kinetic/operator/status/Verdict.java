package dev.kinetic.operator.status;

/**
 * The content of one condition: status ("True", "False", "Unknown"), a CamelCase reason a machine
 * can match on, and a message a person can act on.
 */
public record Verdict(String status, String reason, String message) {
  public static Verdict ok(String reason, String message) {
    return new Verdict(Conditions.TRUE, reason, message);
  }

  public static Verdict failed(String reason, String message) {
    return new Verdict(Conditions.FALSE, reason, message);
  }

  public static Verdict waiting(String reason, String message) {
    return new Verdict(Conditions.UNKNOWN, reason, message);
  }

  public boolean isTrue() {
    return Conditions.TRUE.equals(status);
  }

  public boolean isFalse() {
    return Conditions.FALSE.equals(status);
  }

  /** Unknown: something is under way (a pod starting, a node being added), not settled. */
  public boolean isWaiting() {
    return Conditions.UNKNOWN.equals(status);
  }
}
