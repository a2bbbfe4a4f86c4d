package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FunctionKey HELLO = new FunctionKey("team-a", "hello");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-07T10:00:00.123Z"), ZoneOffset.UTC);

  private final List<String> written = new CopyOnWriteArrayList<>();
  // Counted down to let the handler go on: a log pipe that stalls until then.
  private volatile CountDownLatch stalled = new CountDownLatch(0);
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord line) {
          try {
            stalled.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          written.add(line.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private AccessLog log;

  @BeforeEach
  void listen() {
    AccessLog.OUT.setUseParentHandlers(false);
    AccessLog.OUT.addHandler(capture);
  }

  @AfterEach
  void stop() {
    stalled.countDown();
    if (log != null) {
      log.close();
    }
    AccessLog.OUT.removeHandler(capture);
  }

  @Test
  void aLineSaysWhoCalledWhatHowItEndedAndWhereItWentWithoutTheQuery() throws Exception {
    log = AccessLog.start(10, CLOCK);

    log.ended(
        HELLO,
        "POST",
        "/orders/7?token=s3cr3t&id=1",
        201,
        12_345_678,
        "req-1",
        "10.1.0.9",
        new Endpoint("10.244.0.12", 8080));

    await().until(() -> written.size() == 1);
    JsonNode line = JSON.readTree(written.get(0));
    assertThat(line.path("time").asText()).isEqualTo("2026-12-07T10:00:00.123Z");
    assertThat(line.path("function").asText()).isEqualTo("team-a/hello");
    assertThat(line.path("method").asText()).isEqualTo("POST");
    assertThat(line.path("path").asText()).isEqualTo("/orders/7");
    assertThat(line.path("status").asInt()).isEqualTo(201);
    assertThat(line.path("durationMs").asDouble()).isEqualTo(12.35);
    assertThat(line.path("requestId").asText()).isEqualTo("req-1");
    assertThat(line.path("client").asText()).isEqualTo("10.1.0.9");
    assertThat(line.path("pod").asText()).isEqualTo("10.244.0.12:8080");
    assertThat(written.get(0)).doesNotContain("s3cr3t");
  }

  @Test
  void aRequestNeverSentNorAnsweredHasNoPodAndStatusZero() throws Exception {
    log = AccessLog.start(10, CLOCK);

    log.ended(HELLO, "GET", "/", 0, 1_000_000, "req-2", "10.1.0.9", null);

    await().until(() -> written.size() == 1);
    JsonNode line = JSON.readTree(written.get(0));
    assertThat(line.path("status").asInt()).isZero();
    assertThat(line.has("pod")).isFalse();
  }

  @Test
  void aStalledPipeDropsLinesBeyondTheBoundAndCountsThemInsteadOfWaiting() {
    stalled = new CountDownLatch(1);
    log = AccessLog.start(5, CLOCK);
    log.ended(HELLO, "GET", "/", 200, 1, "first", "c", null);
    // The writer holds the first line in the stalled handler: five more fill the queue.
    await().until(() -> log.queued() == 0);

    for (int i = 0; i < 20; i++) {
      log.ended(HELLO, "GET", "/", 200, 1, "r" + i, "c", null);
    }

    assertThat(log.dropped()).isEqualTo(15);
    stalled.countDown();
    await().until(() -> written.size() == 6);
    assertThat(written.get(5)).contains("\"requestId\":\"r4\"");
  }

  @Test
  void closingWritesWhatIsQueuedFirst() {
    stalled = new CountDownLatch(1);
    log = AccessLog.start(5, CLOCK);
    for (int i = 0; i < 3; i++) {
      log.ended(HELLO, "GET", "/", 200, 1, "r" + i, "c", null);
    }

    log.close();
    stalled.countDown();

    await().until(() -> written.size() == 3);
  }

  @Test
  void offLogsNothing() {
    AccessLog.OFF.ended(HELLO, "GET", "/", 200, 1, "r", "c", null);
    AccessLog.OFF.close();

    assertThat(AccessLog.OFF.on()).isFalse();
    assertThat(written).isEmpty();
  }
}
