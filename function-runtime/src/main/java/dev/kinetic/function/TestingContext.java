package dev.kinetic.function;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Context} for a function's unit tests: a fixed request id, a deadline {@code timeout}
 * from now, and a logger that keeps its lines for assertions.
 */
public final class TestingContext implements Context {
  private final String functionName;
  private final Instant deadline;
  private final Clock clock;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  public TestingContext(String functionName, Duration timeout, Clock clock) {
    this.functionName = functionName;
    this.clock = clock;
    this.deadline = clock.instant().plus(timeout);
  }

  public static TestingContext of(String functionName) {
    return new TestingContext(functionName, Duration.ofSeconds(30), Clock.systemUTC());
  }

  /** Every line logged through {@link #logger()}, as "LEVEL message". */
  public List<String> loggedLines() {
    return List.copyOf(lines);
  }

  @Override
  public String requestId() {
    return "test-request";
  }

  @Override
  public String functionName() {
    return functionName;
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public Duration remaining() {
    return Duration.between(clock.instant(), deadline);
  }

  @Override
  public String traceparent() {
    return "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  }

  @Override
  public FunctionLogger logger() {
    return new FunctionLogger() {
      @Override
      public void info(String message) {
        lines.add("INFO " + message);
      }

      @Override
      public void warn(String message) {
        lines.add("WARN " + message);
      }

      @Override
      public void error(String message, Throwable error) {
        lines.add("ERROR " + message + " " + error);
      }
    };
  }
}
