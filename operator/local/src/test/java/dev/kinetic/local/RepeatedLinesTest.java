package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RepeatedLinesTest {
  private final MovableClock clock = new MovableClock();
  private final RepeatedLines filter = new RepeatedLines(clock, Duration.ofMinutes(10), 2);

  @Test
  void aLineComingBackWithinTheQuietTimeIsHeldBackAndCountedWhenItShowsAgain() {
    assertThat(filter.isLoggable(warning("a", "broker unknown"))).isTrue();
    clock.move(Duration.ofSeconds(10));
    assertThat(filter.isLoggable(warning("a", "broker unknown"))).isFalse();
    clock.move(Duration.ofSeconds(10));
    assertThat(filter.isLoggable(warning("a", "broker unknown"))).isFalse();

    clock.move(Duration.ofMinutes(10));
    LogRecord again = warning("a", "broker unknown");
    assertThat(filter.isLoggable(again)).isTrue();
    assertThat(again.getMessage())
        .isEqualTo("broker unknown (repeated 2 times since 2026-12-05T12:00:00Z, not shown)");

    // Shown again: the next ten minutes start from there, with nothing held back yet.
    clock.move(Duration.ofMinutes(10));
    LogRecord third = warning("a", "broker unknown");
    assertThat(filter.isLoggable(third)).isTrue();
    assertThat(third.getMessage()).isEqualTo("broker unknown");
  }

  @Test
  void linesDifferingInLoggerMessageOrParametersAreEachShown() {
    assertThat(filter.isLoggable(warning("a", "broker {0} unknown", "x"))).isTrue();
    assertThat(filter.isLoggable(warning("a", "broker {0} unknown", "y"))).isTrue();
    assertThat(filter.isLoggable(warning("b", "broker {0} unknown", "y"))).isTrue();
    assertThat(filter.isLoggable(warning("b", "broker {0} unknown", "y"))).isFalse();
  }

  @Test
  void onlyTheMostRecentlySeenLinesAreRemembered() {
    filter.isLoggable(warning("a", "one"));
    filter.isLoggable(warning("a", "two"));
    filter.isLoggable(warning("a", "one")); // held back, and now the most recently seen
    filter.isLoggable(warning("a", "three")); // capacity 2: "two" is forgotten

    assertThat(filter.isLoggable(warning("a", "one"))).isFalse();
    assertThat(filter.isLoggable(warning("a", "two"))).isTrue();
  }

  @Test
  void theKafkaClientsLogShowsTheirChildLoggersWarningsOnceAndNoInfo() {
    PrintStream before = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      KafkaClientLog.quiet(clock); // its console handler takes System.err as it is now
      Logger client = Logger.getLogger("org.apache.kafka.clients.ClientUtils");
      client.info("bootstrap.servers = [my-cluster-kafka-bootstrap.kafka:9092]");
      for (int retry = 0; retry < 3; retry++) {
        client.warning("Couldn't resolve server my-cluster-kafka-bootstrap.kafka:9092");
        clock.move(Duration.ofSeconds(10));
      }
    } finally {
      System.setErr(before);
      KafkaClientLog.quiet(Clock.systemUTC());
    }

    String shown = err.toString(StandardCharsets.UTF_8);
    assertThat(shown).doesNotContain("bootstrap.servers =");
    assertThat(shown.split("Couldn't resolve server", -1)).hasSize(2);
  }

  private static LogRecord warning(String logger, String message, Object... parameters) {
    LogRecord record = new LogRecord(Level.WARNING, message);
    record.setLoggerName(logger);
    record.setParameters(parameters.length == 0 ? null : parameters);
    return record;
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock implements InstantSource {
    private Instant now = Instant.parse("2026-12-05T12:00:00Z");

    void move(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
