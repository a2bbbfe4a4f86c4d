package dev.kinetic.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.Map;

/**
 * Writes one JSON object per line ({@code ts} in epoch milliseconds, {@code level}, {@code msg},
 * then the caller's fields), the format log collectors (Fluent Bit, Vector, Loki) parse without
 * configuration. Lines are written whole under a lock, so concurrent requests never interleave
 * within a line.
 */
public final class JsonLog {

  private final Writer out;
  private final Clock clock;

  public JsonLog(Writer out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /**
   * @param fields written after time, level and message, in iteration order; null values omitted
   */
  public void write(String level, String message, Map<String, ?> fields, Throwable error) {
    StringWriter line = new StringWriter(256);
    try (JsonGenerator g = Factory.INSTANCE.createGenerator(line)) {
      g.writeStartObject();
      // Epoch milliseconds, as pino and Bunyan-style loggers write it: every collector parses it,
      // and it keeps java.time's formatters (a few hundred classes) off the cold-start path.
      g.writeNumberField("ts", clock.millis());
      g.writeStringField("level", level);
      g.writeStringField("msg", message);
      for (Map.Entry<String, ?> field : fields.entrySet()) {
        Object value = field.getValue();
        if (value instanceof Number n) {
          g.writeFieldName(field.getKey());
          writeNumber(g, n);
        } else if (value instanceof Boolean b) {
          g.writeBooleanField(field.getKey(), b);
        } else if (value != null) {
          g.writeStringField(field.getKey(), value.toString());
        }
      }
      if (error != null) {
        g.writeStringField("error", error.toString());
        g.writeStringField("stack", stackTrace(error));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    line.append('\n');
    synchronized (this) {
      try {
        out.write(line.toString());
        out.flush();
      } catch (IOException e) {
        // Nowhere left to report it; a lost log line must not fail the request.
      }
    }
  }

  /** Created on the first line, not at start: the first request does not wait for Jackson. */
  private static final class Factory {
    static final JsonFactory INSTANCE = new JsonFactory();
  }

  private static void writeNumber(JsonGenerator g, Number n) throws IOException {
    if (n instanceof Double || n instanceof Float) {
      g.writeNumber(n.doubleValue());
    } else {
      g.writeNumber(n.longValue());
    }
  }

  private static String stackTrace(Throwable error) {
    StringWriter s = new StringWriter();
    error.printStackTrace(new PrintWriter(s));
    return s.toString();
  }
}
