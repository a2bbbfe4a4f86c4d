package dev.kinetic.dispatcher.kafka;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kafka clients' own log, warnings and up unless the JVM's logging configuration names a level
 * for {@code org.apache.kafka}: at INFO each client logs its whole configuration when made, and the
 * dispatcher makes one per Trigger and another on each restart of its stream.
 */
final class KafkaClientLogs {
  // Held here because JUL keeps loggers weakly: a collected logger would lose its level.
  private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");

  private KafkaClientLogs() {}

  /** Called before each client is made; a level set elsewhere is left as it is. */
  static synchronized void warningsAndUp() {
    if (KAFKA.getLevel() == null) {
      KAFKA.setLevel(Level.WARNING);
    }
  }
}
