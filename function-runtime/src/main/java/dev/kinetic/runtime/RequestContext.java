package dev.kinetic.runtime;

import dev.kinetic.function.Context;
import dev.kinetic.function.FunctionLogger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link Context} of one request. */
final class RequestContext implements Context {
  private final String requestId;
  private final String functionName;
  private final Instant deadline;
  private final Trace trace;
  private final Clock clock;
  private final Map<String, Object> fields;
  private final FunctionLogger logger;

  RequestContext(
      String requestId,
      String functionName,
      String namespace,
      Instant deadline,
      Trace trace,
      Clock clock,
      JsonLog log) {
    this.requestId = requestId;
    this.functionName = functionName;
    this.deadline = deadline;
    this.trace = trace;
    this.clock = clock;
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("function", functionName);
    if (!namespace.isEmpty()) {
      f.put("namespace", namespace);
    }
    f.put("request_id", requestId);
    f.put("trace_id", trace.traceId());
    f.put("span_id", trace.spanId());
    this.fields = Collections.unmodifiableMap(f);
    this.logger = new Logger(log, fields);
  }

  @Override
  public String requestId() {
    return requestId;
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
    return trace.traceparent();
  }

  @Override
  public FunctionLogger logger() {
    return logger;
  }

  Trace trace() {
    return trace;
  }

  /** The fields every log line about this request carries (built once per request). */
  Map<String, Object> fields() {
    return fields;
  }

  private record Logger(JsonLog log, Map<String, Object> fields) implements FunctionLogger {
    @Override
    public void info(String message) {
      log.write("INFO", message, fields, null);
    }

    @Override
    public void warn(String message) {
      log.write("WARN", message, fields, null);
    }

    @Override
    public void error(String message, Throwable error) {
      log.write("ERROR", message, fields, error);
    }
  }
}
