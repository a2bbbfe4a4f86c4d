package dev.kinetic.local;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Shows a log line once, then not again while the same line comes back within {@code quiet}; when
 * it shows again, it says how many times it was held back. A Kafka client retries an unreachable
 * broker every few seconds, and logs the same warning each time: without this, {@code make run}
 * with {@code examples/kafka-orders} prints it every ten seconds for as long as it runs, while the
 * Trigger's status already says {@code KafkaUnreachable} (docs/local.md#triggers).
 *
 * <p>At most {@code capacity} distinct lines are remembered, the least recently seen forgotten
 * first, so a client that logs a new line each time cannot grow this without bound.
 */
final class RepeatedLines implements Filter {
  private final InstantSource clock;
  private final Duration quiet;
  private final Map<String, Seen> seen;

  RepeatedLines(InstantSource clock, Duration quiet, int capacity) {
    this.clock = clock;
    this.quiet = quiet;
    this.seen =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public synchronized boolean isLoggable(LogRecord record) {
    String line =
        record.getLoggerName()
            + '\n'
            + record.getMessage()
            + (record.getParameters() == null ? "" : Arrays.toString(record.getParameters()));
    Instant now = clock.instant();
    Seen last = seen.get(line);
    if (last != null && now.isBefore(last.shown.plus(quiet))) {
      last.heldBack++;
      return false;
    }
    if (last != null && last.heldBack > 0) {
      // Appended to the message pattern: no braces, so the record's parameters still apply.
      record.setMessage(
          record.getMessage()
              + " (repeated "
              + last.heldBack
              + (last.heldBack == 1 ? " time" : " times")
              + " since "
              + last.shown
              + ", not shown)");
    }
    seen.put(line, new Seen(now));
    return true;
  }

  private static final class Seen {
    final Instant shown;
    int heldBack;

    Seen(Instant shown) {
      this.shown = shown;
    }
  }
}
