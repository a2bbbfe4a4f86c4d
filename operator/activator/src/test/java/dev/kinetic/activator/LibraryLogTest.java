package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamHandler handler = new StreamHandler(out, new SimpleFormatter());
    Logger jul = Logger.getLogger(name);
    jul.addHandler(handler);
    try {
      LoggerFactory.getLogger(name).warn("listing functions failed: 403 Forbidden");
    } finally {
      jul.removeHandler(handler);
      handler.flush();
    }

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("WARNING: listing functions failed: 403 Forbidden");
  }
}
