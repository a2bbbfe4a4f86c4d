package dev.kinetic.function;

import java.time.Duration;
import java.time.Instant;

/** What a function knows about the request it is serving, beyond the request itself. */
public interface Context {
  /** The request's id: the caller's {@code X-Request-Id} when it sent one, otherwise a new one. */
  String requestId();

  /** The Function's name, as in its manifest. */
  String functionName();

  /** When the host stops waiting and answers 504. */
  Instant deadline();

  /** Time left before {@link #deadline()}; zero or negative once it passed. */
  Duration remaining();

  /**
   * The W3C {@code traceparent} to send on calls this function makes, so they join the caller's
   * trace: the incoming trace id with this request's own span id.
   */
  String traceparent();

  /** Writes JSON log lines that carry this request's id and trace id. */
  FunctionLogger logger();
}
