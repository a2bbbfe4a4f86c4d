package dev.kinetic.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration strings of the Function spec ("30s", "5m", "1h30m", "500ms").
 *
 * <p>The syntax is the subset of Go's {@code time.ParseDuration} that the CRD's CEL rule accepts,
 * so a value the API server admits always parses here too.
 */
public final class Durations {
  /** Whole numbers with a unit, one or more times. Shared with the CEL rule in the CRD. */
  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";

  /** CEL: the field is a duration. The rule that says so to the user. */
  public static final String CEL_IS_DURATION = "self.matches('" + PATTERN + "')";

  /**
   * CEL: the start of a rule on the field's value as a duration, which holds when the field is not
   * one (that rule, {@link #CEL_IS_DURATION}, names it) so that a bad value gets one message.
   */
  public static final String CEL_IF_DURATION = "!" + CEL_IS_DURATION + " || ";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the value when it is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 30s, 5m or 1h30m (units: ms, s, m, h)");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long amount = Long.parseLong(m.group(1));
      total =
          switch (m.group(2)) {
            case "ms" -> total.plusMillis(amount);
            case "s" -> total.plusSeconds(amount);
            case "m" -> total.plusMinutes(amount);
            default -> total.plusHours(amount);
          };
    }
    return total;
  }
}
