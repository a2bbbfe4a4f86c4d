package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LibraryLogTest {
  /**
   * The Kubernetes client logs through SLF4J. Without a provider on the activator's class path (the
   * image's lib/ is its runtime dependencies) an informer whose list RBAC refuses would fail
   * without a line in the activator's log.
   */
  @Test
  void theKubernetesClientsWarningsReachTheActivatorsLog() {
    String name = "io.fabric8.kubernetes.client.informers.impl.cache.Reflector";
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
    Logger jul = Logger.getLogger(name);
    jul.addHandler(handler);
    try {
      LoggerFactory.getLogger(name).warn("listing functions failed: 403 Forbidden");
    } finally {
      jul.removeHandler(handler);
    }

    assertThat(seen)
        .extracting(LogRecord::getMessage)
        .containsExactly("listing functions failed: 403 Forbidden");
  }
}
