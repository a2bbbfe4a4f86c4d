package dev.kinetic.local;

import java.time.Duration;
import java.time.InstantSource;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kafka clients' own log in local mode: warnings and up, each line shown once per {@link
 * #QUIET}. Their INFO lines (each client's whole configuration, every partition assignment) would
 * bury the functions' output, and a warning a client repeats on every retry, such as an unknown
 * broker, would come back every few seconds; what a user must know is in the Trigger's status.
 */
final class KafkaClientLog {
  /** How long a repeated line stays hidden after it was shown (docs/local.md#triggers). */
  static final Duration QUIET = Duration.ofMinutes(10);

  /** How many distinct lines are remembered to hide their repeats. */
  static final int LINES = 256;

  // Held here because JUL keeps loggers weakly: a collected logger would lose these settings.
  private static final Logger LOG = Logger.getLogger("org.apache.kafka");

  private KafkaClientLog() {}

  /** Sets the clients' log up; again (another platform in the same JVM) replaces the handler. */
  static synchronized void quiet(InstantSource clock) {
    LOG.setLevel(Level.WARNING);
    for (Handler old : LOG.getHandlers()) {
      LOG.removeHandler(old);
    }
    // Its own handler, to standard error like the root's: a filter on the "org.apache.kafka"
    // logger itself would not see the records of its child loggers, where the clients log.
    Handler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    console.setFilter(new RepeatedLines(clock, QUIET, LINES));
    LOG.addHandler(console);
    LOG.setUseParentHandlers(false);
  }
}
