package dev.kinetic.activator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON line per request that reached a function, written when it ends (Knative's request log,
 * off by default). The event loop only formats the line and offers it to a bounded queue; a thread
 * of its own writes the lines to the logger {@value #LOGGER}, which {@link Main} sends to standard
 * output as they are (local mode: to its own output, {@link #printTo}). A full queue (a log pipe
 * slower than the traffic) drops lines and counts them: a request is never slowed down for its log
 * line.
 *
 * <p>The path is logged without its query, which often carries tokens and personal data.
 */
final class AccessLog {
  static final String LOGGER = "kinetic.access";

  /** Held here so that the logger, and what {@link Main} configures on it, is never collected. */
  static final Logger OUT = Logger.getLogger(LOGGER);

  // Put by close(): the writer has written every line before it and stops.
  private static final String END = new String("end");

  /** Logs nothing and costs nothing: the default. */
  static final AccessLog OFF = new AccessLog(null, Clock.systemUTC());

  private static final JsonFactory JSON = new JsonFactory();

  private final BlockingQueue<String> queue;
  private final Clock clock;
  private final AtomicLong dropped = new AtomicLong();
  private Thread writer;

  private AccessLog(BlockingQueue<String> queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  /** A log of at most {@code capacity} lines not yet written, and its writing thread. */
  static AccessLog start(int capacity, Clock clock) {
    AccessLog log = new AccessLog(new ArrayBlockingQueue<>(capacity), clock);
    log.writer = new Thread(log::write, "kinetic-access-log");
    log.writer.setDaemon(true);
    log.writer.start();
    return log;
  }

  /** Writes what is queued, then stops the writer; a full queue's lines are left unwritten. */
  void close() {
    if (writer != null && !queue.offer(END)) {
      writer.interrupt();
    }
  }

  boolean on() {
    return queue != null;
  }

  /** Lines waiting for the writer. */
  int queued() {
    return queue == null ? 0 : queue.size();
  }

  /** Lines dropped because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  /**
   * A request ended.
   *
   * @param status what the client got, the pod's or the activator's own; 0: nothing, it left first
   * @param pod where it was sent; null when it never was
   */
  void ended(
      FunctionKey function,
      String method,
      String uri,
      int status,
      long nanos,
      String requestId,
      String client,
      Endpoint pod) {
    if (queue == null) {
      return;
    }
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", clock.instant().toString());
      json.writeStringField("function", function.toString());
      json.writeStringField("method", method);
      int query = uri.indexOf('?');
      json.writeStringField("path", query < 0 ? uri : uri.substring(0, query));
      json.writeNumberField("status", status);
      json.writeNumberField("durationMs", Math.round(nanos / 10_000.0) / 100.0);
      json.writeStringField("requestId", requestId);
      json.writeStringField("client", client);
      if (pod != null) {
        json.writeStringField("pod", pod.host() + ":" + pod.port());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!queue.offer(out.toString())) {
      dropped.incrementAndGet();
    }
  }

  /**
   * Sends the lines to {@code out} as they are, each after {@code prefix}, until the returned
   * handle is closed; they no longer reach the activator's own log.
   */
  static AutoCloseable printTo(PrintStream out, String prefix) {
    Handler printer =
        new Handler() {
          @Override
          public void publish(LogRecord line) {
            out.print(prefix + line.getMessage() + System.lineSeparator());
          }

          @Override
          public void flush() {
            out.flush();
          }

          @Override
          public void close() {}
        };
    OUT.setUseParentHandlers(false);
    OUT.addHandler(printer);
    return () -> OUT.removeHandler(printer);
  }

  private void write() {
    while (true) {
      try {
        String line = queue.take();
        if (line == END) {
          return;
        }
        OUT.log(Level.INFO, line);
        if (queue.isEmpty()) {
          // Written in batches under load, at once when traffic is light.
          for (Handler handler : OUT.getHandlers()) {
            handler.flush();
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A broken handler must not end the log for good; the next line tries again.
        dropped.incrementAndGet();
      }
    }
  }
}
