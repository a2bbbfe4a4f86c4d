package dev.kinetic.dispatcher;

import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.Durations;
import dev.kinetic.api.FunctionSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * How one event is retried, and the decision after each attempt. Pure: the jitter comes from the
 * {@link DoubleSupplier} passed in.
 *
 * <p>Retried: connection errors and timeouts, 408, 429 and 5xx (the activator's 503 with its
 * Retry-After among them). Final: 2xx (delivered) and every other answer — a 400 will be a 400
 * again. The wait before retry n (1-based) is minBackoff·2^(n-1), at most maxBackoff, of which a
 * random half is taken off ("equal jitter"), so retries of many events spread out but never come
 * sooner than half the back-off; a Retry-After longer than that is honoured, up to maxBackoff.
 */
public record DeliveryPolicy(
    int retries, Duration minBackoff, Duration maxBackoff, Duration attemptTimeout) {

  /**
   * @param functionTimeoutSeconds the Function's timeoutSeconds: the default and the upper bound of
   *     an attempt's time, since the activator would cut a longer one anyway
   */
  public static DeliveryPolicy of(DeliverySpec spec, int functionTimeoutSeconds) {
    DeliverySpec s = spec == null ? new DeliverySpec() : spec;
    int retries = Optional.ofNullable(s.getRetries()).orElse(DeliverySpec.DEFAULT_RETRIES);
    Duration min =
        Durations.parse(
            Optional.ofNullable(s.getMinBackoff()).orElse(DeliverySpec.DEFAULT_MIN_BACKOFF));
    Duration max =
        Durations.parse(
            Optional.ofNullable(s.getMaxBackoff()).orElse(DeliverySpec.DEFAULT_MAX_BACKOFF));
    int functionTimeout =
        functionTimeoutSeconds > 0 ? functionTimeoutSeconds : FunctionSpec.DEFAULT_TIMEOUT_SECONDS;
    int attempt =
        Math.min(
            Optional.ofNullable(s.getTimeoutSeconds()).orElse(functionTimeout), functionTimeout);
    return new DeliveryPolicy(
        retries, min, max.compareTo(min) < 0 ? min : max, Duration.ofSeconds(attempt));
  }

  /** What an attempt came to. */
  public sealed interface Outcome {
    /** The function (or the activator in front of it) answered with this status. */
    record Answered(int status, OptionalLong retryAfterSeconds) implements Outcome {}

    /** No answer: the connection failed or the attempt ran out of time. */
    record NoAnswer(String why) implements Outcome {}
  }

  /** What to do after an attempt. */
  public sealed interface Verdict {
    record Delivered() implements Verdict {}

    record Retry(Duration after) implements Verdict {}

    /** Given up: {@code why} says so in words, for the log and the Kubernetes Event. */
    record GiveUp(String why) implements Verdict {}
  }

  /**
   * @param attempt the attempt that just ended, 1 for the first
   * @param jitter a number in [0, 1)
   */
  public Verdict after(int attempt, Outcome outcome, DoubleSupplier jitter) {
    if (outcome instanceof Outcome.Answered a && a.status() >= 200 && a.status() < 300) {
      return new Verdict.Delivered();
    }
    String what =
        outcome instanceof Outcome.Answered a
            ? "answered " + a.status()
            : ((Outcome.NoAnswer) outcome).why();
    if (!retryable(outcome)) {
      return new Verdict.GiveUp(what + ", a final answer (not retried)");
    }
    if (attempt > retries) {
      return new Verdict.GiveUp(what + " on attempt " + attempt + " of " + (retries + 1));
    }
    return new Verdict.Retry(backoff(attempt, outcome, jitter.getAsDouble()));
  }

  private static boolean retryable(Outcome outcome) {
    if (outcome instanceof Outcome.Answered a) {
      return a.status() == 408 || a.status() == 429 || a.status() >= 500;
    }
    return true; // no answer: a refused connection or a timeout may pass next time
  }

  private Duration backoff(int attempt, Outcome outcome, double jitter) {
    long full = minBackoff.toMillis();
    for (int i = 1; i < attempt && full < maxBackoff.toMillis(); i++) {
      full *= 2;
    }
    full = Math.min(full, maxBackoff.toMillis());
    long wait = full / 2 + (long) (full / 2.0 * jitter);
    if (outcome instanceof Outcome.Answered a && a.retryAfterSeconds().isPresent()) {
      wait =
          Math.max(wait, Math.min(a.retryAfterSeconds().getAsLong() * 1000, maxBackoff.toMillis()));
    }
    return Duration.ofMillis(wait);
  }
}
