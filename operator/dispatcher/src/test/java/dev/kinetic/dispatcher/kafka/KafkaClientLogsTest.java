package dev.kinetic.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class KafkaClientLogsTest {
  /**
   * The Kubernetes and Kafka clients log through SLF4J. Without a provider on the dispatcher's
   * class path (the image's lib/ is its runtime dependencies) a broker refusing a Trigger's
   * credentials, or an informer refused by RBAC, would leave no line in the dispatcher's log; and
   * at INFO every Kafka client made would log its whole configuration.
   */
  @Test
  void theClientsWarningsReachTheDispatchersLogAndTheKafkaClientsInfoDoesNot() {
    List<LogRecord> seen = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            seen.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger kafka = Logger.getLogger("org.apache.kafka");
    Logger fabric8 = Logger.getLogger("io.fabric8");
    kafka.addHandler(handler);
    fabric8.addHandler(handler);
    try {
      KafkaClientLogs.warningsAndUp();
      LoggerFactory.getLogger("org.apache.kafka.clients.consumer.ConsumerConfig")
          .info("ConsumerConfig values: ...");
      LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient")
          .warn("Connection to node -1 terminated during authentication");
      LoggerFactory.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector")
          .warn("listing triggers failed: 403 Forbidden");
    } finally {
      kafka.removeHandler(handler);
      fabric8.removeHandler(handler);
    }

    assertThat(seen)
        .extracting(LogRecord::getMessage)
        .containsExactly(
            "Connection to node -1 terminated during authentication",
            "listing triggers failed: 403 Forbidden");
  }
}
