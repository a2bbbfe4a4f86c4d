package dev.kinetic.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.dispatcher.DeliveryPolicy;
import dev.kinetic.dispatcher.DeliveryPolicy.Outcome;
import dev.kinetic.dispatcher.EventSender;
import dev.kinetic.dispatcher.TriggerRef;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KafkaDelivery} against a real broker ({@link KafkaBroker}), with a sender that stands in
 * for the activator: it records every event id it is sent and answers as each test says, some of
 * them after a delay, so deliveries overlap and finish out of order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaDeliveryIT {
  private static final TriggerRef TRIGGER = new TriggerRef("team-a", "orders", "uid-1");

  @TempDir static Path dir;
  private static KafkaBroker broker;
  private static KafkaTopics topics;
  private static final ScheduledExecutorService LATER = Executors.newScheduledThreadPool(4);

  private final Recorder recorder = new Recorder();
  private KafkaDelivery delivery;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(dir);
    topics = new KafkaTopics(broker.bootstrapServers());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    // Kept beside the test reports: the broker's side of any failure above.
    Files.writeString(Path.of("target", "kafka-broker.log"), broker.log());
    topics.close();
    broker.close();
    LATER.shutdownNow();
  }

  @AfterEach
  void stop() {
    if (delivery != null) {
      delivery.close();
    }
  }

  @Test
  @Order(1)
  void tenThousandRecordsOverSixPartitionsAreEachDeliveredAndCommitted() throws Exception {
    Set<String> produced =
        topics.produce(topics.topic("ten-thousand", 6), 10_000, i -> "k" + (i % 100));
    recorder.answers = (event, attempt) -> answered(200);

    delivery = KafkaDelivery.start(source("ten-thousand", "g1", false, 50, null), recorder);

    await().atMost(Duration.ofMinutes(3)).until(() -> recorder.ids().containsAll(produced));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> topics.committed("g1", "ten-thousand") == 10_000);
    System.out.printf(
        "10,000 records over 6 partitions: %d sent, %d distinct, %d duplicates, lost %d%n",
        recorder.sent.size(),
        recorder.ids().size(),
        recorder.sent.size() - recorder.ids().size(),
        produced.size() - recorder.ids().size());
    assertThat(recorder.ids()).isEqualTo(produced);
  }

  @Test
  @Order(2)
  void aThirdOfAttemptsFailingAtRandomStillDeliversEveryRecord() throws Exception {
    Set<String> produced = topics.produce(topics.topic("flaky", 3), 2_000, i -> "k" + (i % 10));
    recorder.answers =
        (event, attempt) ->
            ThreadLocalRandom.current().nextDouble() < 0.3 ? answered(503) : answered(200);

    delivery = KafkaDelivery.start(source("flaky", "g2", false, 20, null), recorder);

    await().atMost(Duration.ofMinutes(2)).until(() -> delivered().containsAll(produced));
    System.out.printf(
        "30%% failing: %d records, %d attempts, %d retried%n",
        produced.size(), recorder.sent.size(), delivery.counts().retried.get());
    assertThat(delivery.counts().retried.get()).isPositive();
    assertThat(delivery.counts().failed.get()).isZero();
  }

  @Test
  @Order(3)
  void recordsOfKeysAlwaysRefusedGoToTheDeadLetterTopicAndTheirPartitionsKeepFlowing()
      throws Exception {
    Set<String> poison = Set.of("k7", "k13");
    topics.produce(topics.topic("poisoned", 3), 600, i -> "k" + (i % 30));
    topics.topic("poisoned-dlq", 1);
    recorder.answers =
        (event, attempt) ->
            poison.contains(event.getExtension("partitionkey")) ? answered(400) : answered(200);

    delivery = KafkaDelivery.start(source("poisoned", "g3", true, 10, "poisoned-dlq"), recorder);

    await().atMost(Duration.ofMinutes(2)).until(() -> topics.committed("g3", "poisoned") == 600);
    List<ConsumerRecord<byte[], byte[]>> dead = topics.readAll("poisoned-dlq", 40);
    assertThat(dead).hasSize(40);
    assertThat(dead)
        .allSatisfy(
            r -> {
              assertThat(poison).contains(new String(r.key(), StandardCharsets.UTF_8));
              assertThat(KafkaTopics.header(r, "kinetic-error")).contains("answered 400");
              assertThat(KafkaTopics.header(r, "kinetic-attempts")).isEqualTo("1");
              assertThat(KafkaTopics.header(r, "kinetic-topic")).isEqualTo("poisoned");
            });
    assertThat(delivery.counts().deadLettered.get()).isEqualTo(40);
    assertThat(delivery.counts().delivered.get()).isEqualTo(560);
  }

  @Test
  @Order(4)
  void orderedDeliveryKeepsEachKeysOrderEvenWhenAnswersTakeVaryingTime() throws Exception {
    topics.produce(topics.topic("ordered", 3), 1_500, i -> "k" + (i % 15));
    recorder.delayMillis = 3;

    delivery = KafkaDelivery.start(source("ordered", "g4", true, 10, null), recorder);

    await().atMost(Duration.ofMinutes(2)).until(() -> delivered().size() == 1_500);
    Map<String, List<Integer>> byKey = new HashMap<>();
    for (CloudEvent e : recorder.sent) {
      byKey
          .computeIfAbsent((String) e.getExtension("partitionkey"), k -> new ArrayList<>())
          .add(Integer.parseInt(new String(e.getData().toBytes(), StandardCharsets.UTF_8)));
    }
    assertThat(byKey).hasSize(15);
    byKey.values().forEach(seq -> assertThat(seq).isSorted());
  }

  @Test
  @Order(5)
  void aConsumerStoppedMidStreamAndANewOneOfTheGroupLoseNothing() throws Exception {
    Set<String> produced = topics.produce(topics.topic("handover", 4), 3_000, i -> "k" + (i % 40));
    recorder.delayMillis = 2;
    delivery = KafkaDelivery.start(source("handover", "g5", false, 20, null), recorder);
    await().atMost(Duration.ofMinutes(1)).until(() -> recorder.ids().size() >= 1_000);

    delivery.close();
    delivery = KafkaDelivery.start(source("handover", "g5", false, 20, null), recorder);

    await().atMost(Duration.ofMinutes(2)).until(() -> recorder.ids().containsAll(produced));
    int duplicates = recorder.sent.size() - recorder.ids().size();
    System.out.printf("stopped and started again: %d duplicates (bound 20)%n", duplicates);
    assertThat(duplicates).isLessThanOrEqualTo(20);
  }

  @Test
  @Order(6)
  void aBrokerKilledAndStartedAgainMidStreamLosesNothing() throws Exception {
    Set<String> produced =
        topics.produce(topics.topic("broker-restart", 3), 3_000, i -> "k" + (i % 30));
    recorder.delayMillis = 2;
    delivery = KafkaDelivery.start(source("broker-restart", "g6", false, 20, null), recorder);
    await().atMost(Duration.ofMinutes(1)).until(() -> recorder.ids().size() >= 500);

    broker.kill();
    broker.restart();

    await().atMost(Duration.ofMinutes(3)).until(() -> recorder.ids().containsAll(produced));
    System.out.printf(
        "broker killed and restarted: %d records, %d duplicates%n",
        produced.size(), recorder.sent.size() - recorder.ids().size());
  }

  private static KafkaSource source(
      String topic, String group, boolean ordered, int maxInFlight, String deadLetters) {
    return new KafkaSource(
        TRIGGER,
        "orders-fn",
        broker.bootstrapServers(),
        List.of(topic),
        group,
        true,
        ordered,
        maxInFlight,
        200,
        1 << 20,
        Optional.ofNullable(deadLetters),
        Optional.empty(),
        new DeliveryPolicy(
            10, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10)),
        Duration.ofMillis(200),
        Map.of());
  }

  private static Outcome answered(int status) {
    return new Outcome.Answered(status, OptionalLong.empty());
  }

  private Set<String> delivered() {
    return recorder.delivered;
  }

  /** The activator's stand-in: records what it is sent, answers as told, maybe after a delay. */
  static final class Recorder implements EventSender {
    final List<CloudEvent> sent = new CopyOnWriteArrayList<>();
    final Set<String> delivered = ConcurrentHashMap.newKeySet();
    volatile java.util.function.BiFunction<CloudEvent, Integer, Outcome> answers =
        (event, attempt) -> answered(200);
    volatile int delayMillis;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    Set<String> ids() {
      Set<String> ids = new HashSet<>();
      for (CloudEvent e : sent) {
        ids.add(e.getId());
      }
      return ids;
    }

    @Override
    public CompletableFuture<Outcome> send(
        String namespace, String function, CloudEvent event, Duration timeout) {
      sent.add(event);
      int attempt = attempts.merge(event.getId(), 1, Integer::sum);
      Outcome outcome = answers.apply(event, attempt);
      if (outcome instanceof Outcome.Answered a && a.status() / 100 == 2) {
        delivered.add(event.getId());
      }
      if (delayMillis == 0) {
        return CompletableFuture.completedFuture(outcome);
      }
      CompletableFuture<Outcome> later = new CompletableFuture<>();
      LATER.schedule(
          () -> later.complete(outcome),
          ThreadLocalRandom.current().nextInt(delayMillis + 1),
          TimeUnit.MILLISECONDS);
      return later;
    }
  }
}
