package dev.kinetic.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.KafkaSpec;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.TriggerSpec;
import dev.kinetic.api.TriggerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A streamed Trigger's life with a fake stream and a clock moved by hand: no threads, no broker.
 */
class StreamedTriggerTest {
  private static final TriggerRef REF = new TriggerRef("team-a", "orders", "uid-1");

  private Instant now = Instant.parse("2026-12-03T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private Optional<FunctionDirectory.Target> function = Optional.empty();
  private final List<FakeStream> started = new ArrayList<>();
  private TriggerProblem refuseWith;
  private final List<TriggerState> published = new ArrayList<>();
  private final List<String> toldGivenUp = new ArrayList<>();

  private final EventStreams streams =
      (ref, trigger, policy, maxInFlight, observer) -> {
        if (refuseWith != null) {
          throw refuseWith;
        }
        FakeStream s = new FakeStream(maxInFlight);
        started.add(s);
        return s;
      };

  /** Whether the dead-letter Function a Trigger may name ({@code fn-dead}) exists. */
  private boolean deadLetterFunctionExists;

  private String deadLetterFunction;

  private StreamedTrigger trigger(TriggerStatus status) {
    Trigger t = new Trigger();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(REF.namespace())
            .withName(REF.name())
            .withUid(REF.uid())
            .withGeneration(2L)
            .build());
    TriggerSpec spec = new TriggerSpec();
    spec.setFunction("fn");
    KafkaSpec kafka = new KafkaSpec();
    kafka.setBootstrapServers("kafka:9092");
    kafka.setTopics(List.of("orders"));
    spec.setKafka(kafka);
    if (deadLetterFunction != null) {
      DeliverySpec delivery = new DeliverySpec();
      delivery.setDeadLetterFunction(deadLetterFunction);
      spec.setDelivery(delivery);
    }
    t.setSpec(spec);
    t.setStatus(status);
    TriggerState initial =
        TriggerState.pending(
            2,
            Optional.empty(),
            new TriggerState.Outcomes(
                status == null
                    ? TriggerCounts.NONE
                    : TriggerCounts.finished(status.getDelivered(), status.getFailed(), 0),
                Optional.empty(),
                Optional.empty()));
    return new StreamedTrigger(
        REF,
        t,
        initial,
        (namespace, name) ->
            name.equals("fn-dead")
                ? Optional.of(new FunctionDirectory.Target(30, OptionalInt.empty()))
                    .filter(f -> deadLetterFunctionExists)
                : function,
        streams,
        100,
        new DispatcherMetrics(new SimpleMeterRegistry()),
        clock,
        published::add,
        toldGivenUp::add);
  }

  @Test
  void nothingIsConsumedUntilTheFunctionExistsThenAsManyAsItCanTakeAreInFlight() {
    StreamedTrigger t = trigger(null);
    t.start();
    assertThat(t.state().reason()).isEqualTo(TriggerState.FUNCTION_NOT_FOUND);
    assertThat(started).isEmpty();

    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    t.refresh();

    assertThat(started).singleElement().satisfies(s -> assertThat(s.maxInFlight).isEqualTo(8));
    assertThat(t.state().ready()).isTrue();
    assertThat(t.state().reason()).isEqualTo(TriggerState.CONSUMING);
    assertThat(t.state().message()).isEqualTo("fake stream of 8");
  }

  @Test
  void aMissingDeadLetterFunctionIsReportedWhileTheStreamConsumes() {
    deadLetterFunction = "fn-dead";
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    StreamedTrigger t = trigger(null);
    t.start();

    assertThat(started).hasSize(1);
    assertThat(t.state().ready()).isFalse();
    assertThat(t.state().reason()).isEqualTo(TriggerState.DEAD_LETTER_FUNCTION_NOT_FOUND);
    assertThat(t.state().message()).contains("no Function fn-dead in namespace team-a");

    deadLetterFunctionExists = true;
    t.refresh();
    assertThat(t.state().reason()).isEqualTo(TriggerState.CONSUMING);
    assertThat(started).as("the same stream went on").hasSize(1);
  }

  @Test
  void aFunctionWithoutABoundIsCappedByTheDispatchersOwnBound() {
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.empty()));
    trigger(null).start();
    assertThat(started.get(0).maxInFlight).isEqualTo(100);
  }

  @Test
  void countsGoOnFromTheStatusAndTheLagIsTheStreams() {
    TriggerStatus status = new TriggerStatus();
    status.setDelivered(1_000L);
    status.setFailed(3L);
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    StreamedTrigger t = trigger(status);
    t.start();

    started.get(0).progress =
        new EventStream.Progress(50, 2, 1, OptionalLong.of(7), Optional.empty(), false);
    t.refresh();

    assertThat(t.state().counts().delivered()).isEqualTo(1_050);
    assertThat(t.state().counts().failed()).isEqualTo(5);
    assertThat(t.state().counts().deadLettered()).isEqualTo(1);
    assertThat(t.state().lag()).hasValue(7);
  }

  private static EventStream.Progress gaveUp(long failed, long deadLettered, String last) {
    return new EventStream.Progress(
        100, failed, deadLettered, OptionalLong.of(0), Optional.empty(), false, Optional.of(last));
  }

  @Test
  void recordsGivenUpOnAreToldAtOnceThenAtMostOnceAMinuteWithTheirCountAndTheLastReason() {
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    StreamedTrigger t = trigger(null);
    t.start();
    FakeStream stream = started.get(0);
    t.refresh();
    assertThat(toldGivenUp).as("nothing given up, nothing told").isEmpty();

    stream.progress = gaveUp(1, 1, "event orders/0/41: answered 500 after 3 attempts");
    t.refresh();
    assertThat(toldGivenUp)
        .containsExactly(
            "1 record to function fn given up since 2026-12-03T10:00:00Z (1 dead-lettered); the last: event"
                + " orders/0/41: answered 500 after 3 attempts");
    assertThat(t.state().lastFailure())
        .as("kept in the status")
        .hasValue(
            new TriggerState.Failure(now, "event orders/0/41: answered 500 after 3 attempts"));

    // 40 more within the minute: counted, not told one by one.
    for (int i = 1; i <= 40; i++) {
      now = now.plusSeconds(1);
      stream.progress = gaveUp(1 + i, 1, "event orders/0/" + (41 + i) + ": timed out");
      t.refresh();
    }
    assertThat(toldGivenUp).hasSize(1);
    now = now.plusSeconds(19);
    t.refresh();
    assertThat(toldGivenUp).hasSize(1);
    now = now.plusSeconds(1);
    t.refresh();
    assertThat(toldGivenUp)
        .hasSize(2)
        .last()
        .isEqualTo(
            "40 records to function fn given up since 2026-12-03T10:00:01Z; the last: event orders/0/81: timed"
                + " out");
    assertThat(t.state().lastFailure().orElseThrow().message())
        .isEqualTo("event orders/0/81: timed out");

    // A minute with nothing given up tells nothing; what comes after is told at once.
    now = now.plusSeconds(120);
    t.refresh();
    assertThat(toldGivenUp).hasSize(2);
    stream.progress = gaveUp(42, 1, "event orders/0/90: timed out");
    t.refresh();
    assertThat(toldGivenUp)
        .hasSize(3)
        .last()
        .asString()
        .startsWith("1 record to function fn given up since");
  }

  @Test
  void whatAClosingStreamGaveUpOnIsToldBeforeItGoesAndItsSuccessorCountsFromZero() {
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    StreamedTrigger t = trigger(null);
    t.start();
    started.get(0).progress = gaveUp(1, 0, "event orders/0/1: answered 400");
    t.refresh();
    now = now.plusSeconds(5);
    started.get(0).progress = gaveUp(3, 0, "event orders/0/3: answered 400");

    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(20)));
    t.refresh();

    assertThat(toldGivenUp)
        .hasSize(2)
        .last()
        .asString()
        .startsWith(
            "2 records to function fn given up since 2026-12-03T10:00:05Z; the last: event orders/0/3");
    assertThat(started).hasSize(2);
    started.get(1).progress = gaveUp(1, 0, "event orders/0/4: answered 400");
    now = now.plusSeconds(60);
    t.refresh();
    assertThat(toldGivenUp)
        .hasSize(3)
        .last()
        .asString()
        .startsWith("1 record to function fn given up");
  }

  @Test
  void aProblemAtStartIsReportedAndTriedAgainOnlyAfterTheWait() {
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    refuseWith = new TriggerProblem(TriggerProblem.SECRET_NOT_FOUND, "no Secret s in team-a");
    StreamedTrigger t = trigger(null);
    t.start();
    assertThat(t.state().reason()).isEqualTo(TriggerProblem.SECRET_NOT_FOUND);
    assertThat(t.state().readyStatus()).isEqualTo("False");

    refuseWith = null;
    now = now.plus(StreamedTrigger.RESTART_AFTER).minusMillis(1);
    t.refresh();
    assertThat(started).as("not before the wait").isEmpty();

    now = now.plusMillis(1);
    t.refresh();
    assertThat(started).hasSize(1);
    assertThat(t.state().reason()).isEqualTo(TriggerState.CONSUMING);
  }

  @Test
  void aStreamThatStoppedShowsWhyKeepsItsCountsAndIsStartedAgainAfterTheWait() {
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    StreamedTrigger t = trigger(null);
    t.start();
    FakeStream first = started.get(0);
    first.progress =
        new EventStream.Progress(
            40,
            0,
            0,
            OptionalLong.empty(),
            Optional.of(
                new TriggerProblem(TriggerProblem.AUTHENTICATION_FAILED, "refused: bad password")),
            true);

    t.refresh();
    await().atMost(Duration.ofSeconds(5)).until(() -> first.closed);
    assertThat(t.state().reason()).isEqualTo(TriggerProblem.AUTHENTICATION_FAILED);
    assertThat(t.state().counts().delivered()).isEqualTo(40);

    now = now.plus(StreamedTrigger.RESTART_AFTER);
    t.refresh();
    assertThat(started).hasSize(2);
    started.get(1).progress =
        new EventStream.Progress(2, 0, 0, OptionalLong.of(0), Optional.empty(), false);
    t.refresh();
    assertThat(t.state().counts().delivered()).isEqualTo(42);
    assertThat(t.state().ready()).isTrue();
  }

  @Test
  void aFunctionWhoseCapacityChangesGetsANewStreamWithTheNewBound() {
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    StreamedTrigger t = trigger(null);
    t.start();

    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(20)));
    t.refresh();

    await().atMost(Duration.ofSeconds(5)).until(() -> started.get(0).closed);
    assertThat(started).hasSize(2);
    assertThat(started.get(1).maxInFlight).isEqualTo(20);
  }

  @Test
  void aFunctionThatGoesAwayStopsTheStreamAndStoppingStopsIt() {
    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    StreamedTrigger t = trigger(null);
    t.start();
    function = Optional.empty();
    t.refresh();
    await().atMost(Duration.ofSeconds(5)).until(() -> started.get(0).closed);
    assertThat(t.state().reason()).isEqualTo(TriggerState.FUNCTION_NOT_FOUND);

    function = Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)));
    t.refresh();
    t.stop().join();
    assertThat(started.get(1).closed).isTrue();
    int before = published.size();
    t.refresh();
    assertThat(published).as("nothing more once stopped").hasSize(before);
  }

  /** A stream that reports what the test sets, and records being closed. */
  private static final class FakeStream implements EventStream {
    final int maxInFlight;
    volatile Progress progress =
        new Progress(0, 0, 0, OptionalLong.empty(), Optional.empty(), false);
    volatile boolean closed;

    FakeStream(int maxInFlight) {
      this.maxInFlight = maxInFlight;
    }

    @Override
    public Progress progress() {
      return progress;
    }

    @Override
    public String describe() {
      return "fake stream of " + maxInFlight;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
