package dev.kinetic.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.KafkaAuthSpec;
import dev.kinetic.api.KafkaSpec;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.TriggerSpec;
import dev.kinetic.dispatcher.DeadLetters;
import dev.kinetic.dispatcher.DeliveryPolicy.Outcome;
import dev.kinetic.dispatcher.Dispatcher;
import dev.kinetic.dispatcher.EventSender;
import dev.kinetic.dispatcher.FunctionDirectory;
import dev.kinetic.dispatcher.TriggerProblem;
import dev.kinetic.dispatcher.TriggerRef;
import dev.kinetic.dispatcher.TriggerState;
import io.cloudevents.CloudEvent;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Trigger run by the dispatcher against a real broker: the Ready condition says what is
 * wrong (no topic, no broker, no Secret, refused credentials) and turns True once it is right; the
 * counts, the lag and the metrics follow the records.
 */
class KafkaTriggerIT {
  private static final KafkaStreams.Settings FAST =
      new KafkaStreams.Settings(
          50, Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(2));

  @TempDir static Path dir;
  private static KafkaBroker broker;
  private static KafkaTopics topics;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();

  /** The dead-letter Function of the test that names one: it takes every event. */
  private static final String DEAD_LETTERS = "orders-dead";

  private final List<CloudEvent> deadLetters = new CopyOnWriteArrayList<>();
  private KafkaStreams streams;
  private Dispatcher dispatcher;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(dir);
    topics = new KafkaTopics(broker.bootstrapServers());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    Files.writeString(Path.of("target", "kafka-trigger-broker.log"), broker.log());
    topics.close();
    broker.close();
  }

  /** A function of hard limit 4 on at most 2 pods: 8 at once, at most. */
  private void startDispatcher() {
    EventSender sender =
        (namespace, function, event, timeout) -> {
          if (function.equals(DEAD_LETTERS)) {
            deadLetters.add(event);
            return CompletableFuture.completedFuture(
                new Outcome.Answered(200, OptionalLong.empty()));
          }
          if (event.getData() != null
              && new String(event.getData().toBytes(), StandardCharsets.UTF_8).equals("poison")) {
            return CompletableFuture.completedFuture(
                new Outcome.Answered(400, OptionalLong.empty()));
          }
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          return CompletableFuture.supplyAsync(
              () -> {
                delivered.add(event.getId());
                inFlight.decrementAndGet();
                return (Outcome) new Outcome.Answered(200, OptionalLong.empty());
              },
              CompletableFuture.delayedExecutor(2, java.util.concurrent.TimeUnit.MILLISECONDS));
        };
    streams =
        new KafkaStreams(sender, (namespace, name) -> Optional.ofNullable(secrets.get(name)), FAST);
    dispatcher =
        new Dispatcher(
            Clock.systemUTC(),
            sender,
            (namespace, name) ->
                name.equals("orders-fn") || name.equals(DEAD_LETTERS)
                    ? Optional.of(new FunctionDirectory.Target(30, OptionalInt.of(8)))
                    : Optional.empty(),
            new Dispatcher.Listener() {},
            registry,
            () -> 0.5,
            Dispatcher.Settings.DEFAULTS,
            streams);
  }

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close();
      streams.close();
    }
  }

  @Test
  void aMissingTopicIsTopicNotFoundAndOnceMadeEveryRecordIsDeliveredAndTheLagFallsToZero()
      throws Exception {
    startDispatcher();
    KafkaSpec kafka = kafka(broker.bootstrapServers(), "later");
    kafka.setOrdering(KafkaSpec.UNORDERED);
    kafka.setInitialOffset(KafkaSpec.EARLIEST);
    dispatcher.apply(List.of(trigger("later", kafka)));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(reason("later")).startsWith("TopicNotFound"));
    assertThat(state("later").message()).contains("later").contains(broker.bootstrapServers());

    Set<String> produced = topics.produce(topics.topic("later", 4), 2_000, i -> "k" + (i % 20));

    await().atMost(Duration.ofMinutes(1)).until(() -> delivered.containsAll(produced));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> state("later").lag().equals(OptionalLong.of(0)));
    TriggerState state = state("later");
    assertThat(state.ready()).isTrue();
    assertThat(state.reason()).isEqualTo(TriggerState.CONSUMING);
    assertThat(state.message()).contains("kinetic.team-a.later").contains("up to 8 in flight");
    assertThat(state.counts().delivered()).isGreaterThanOrEqualTo(2_000);
    assertThat(mostInFlight.get())
        .as("the function's capacity, hard 4 x 2 pods")
        .isLessThanOrEqualTo(8);
    assertThat(registry.get("kinetic.dispatcher.events.delivered").counter().count())
        .isGreaterThanOrEqualTo(2_000);
    assertThat(registry.get("kinetic.dispatcher.lag.records").gauge().value()).isZero();
    assertThat(registry.get("kinetic.dispatcher.delivery.latency").timer().count())
        .isGreaterThanOrEqualTo(2_000);
  }

  @Test
  void brokersThatDoNotAnswerAreKafkaUnreachable() throws Exception {
    startDispatcher();
    int nobody;
    try (ServerSocket s = new ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    dispatcher.apply(List.of(trigger("nowhere", kafka("127.0.0.1:" + nobody, "orders"))));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(reason("nowhere")).startsWith(TriggerProblem.KAFKA_UNREACHABLE));
    assertThat(state("nowhere").message()).contains("127.0.0.1:" + nobody);
    assertThat(state("nowhere").readyStatus()).isEqualTo("False");
  }

  @Test
  void credentialsComeFromASecretAndAreCheckedByTheBroker() throws Exception {
    topics.topic("secured", 1);
    Set<String> produced = topics.produce("secured", 50, i -> "k" + i);
    startDispatcher();

    dispatcher.apply(List.of(trigger("secured", sasl("orders-kafka"))));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(reason("secured")).startsWith(TriggerProblem.SECRET_NOT_FOUND));
    assertThat(state("secured").message()).isEqualTo("no Secret orders-kafka in namespace team-a");

    secrets.put("wrong", Map.of("username", KafkaBroker.USER, "password", "not-it"));
    dispatcher.apply(List.of(trigger("secured", sasl("wrong"))));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(reason("secured")).startsWith(TriggerProblem.AUTHENTICATION_FAILED));
    assertThat(state("secured").message()).doesNotContain("not-it");

    secrets.put("right", Map.of("username", KafkaBroker.USER, "password", KafkaBroker.PASSWORD));
    dispatcher.apply(List.of(trigger("secured", sasl("right"))));
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered.containsAll(produced));
    await().atMost(Duration.ofSeconds(10)).until(() -> state("secured").ready());
  }

  @Test
  void aRecordAboveMaxRecordBytesGoesToTheDeadLetterTopicAndTheRestFlow() throws Exception {
    topics.topic("sized", 1);
    topics.topic("sized-dlq", 1);
    Set<String> small = topics.produce("sized", 20, i -> "k" + i);
    topics.send("sized", "big", new byte[4096]);
    Set<String> after = topics.produce("sized", 20, i -> "k" + i);
    startDispatcher();
    KafkaSpec kafka = kafka(broker.bootstrapServers(), "sized");
    kafka.setInitialOffset(KafkaSpec.EARLIEST);
    kafka.setMaxRecordBytes(1024);
    kafka.setDeadLetterTopic("sized-dlq");

    dispatcher.apply(List.of(trigger("sized", kafka)));

    await().atMost(Duration.ofMinutes(1)).until(() -> delivered.containsAll(after));
    assertThat(delivered).containsAll(small);
    List<ConsumerRecord<byte[], byte[]>> dead = topics.readAll("sized-dlq", 1);
    assertThat(dead)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value()).as("not written again whole").isNull();
              assertThat(KafkaTopics.header(r, "kinetic-value-bytes")).isEqualTo("4096");
              assertThat(KafkaTopics.header(r, "kinetic-error"))
                  .isEqualTo("value of 4096 bytes is above maxRecordBytes 1024");
              assertThat(KafkaTopics.header(r, "kinetic-offset")).isEqualTo("20");
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> state("sized").counts().deadLettered() == 1);
    assertThat(state("sized").counts().failed()).isEqualTo(1);
    assertThat(delivered).doesNotContain(KafkaEvents.id("sized", 0, 20));
  }

  @Test
  void aSuspendedTriggerLeavesRecordsInTheTopicAndOnResumeDeliversThemFromTheCommittedOffsets()
      throws Exception {
    topics.topic("paused", 2);
    Set<String> before = topics.produce("paused", 100, i -> "k" + (i % 10));
    startDispatcher();
    KafkaSpec kafka = kafka(broker.bootstrapServers(), "paused");
    kafka.setInitialOffset(KafkaSpec.EARLIEST);
    Trigger running = trigger("paused", kafka);
    dispatcher.apply(List.of(running));
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered.containsAll(before));
    String group = "kinetic.team-a.paused";
    await().atMost(Duration.ofSeconds(30)).until(() -> topics.committed(group, "paused") == 100);
    await().atMost(Duration.ofSeconds(10)).until(() -> state("paused").counts().delivered() == 100);

    Trigger suspended = trigger("paused", kafka);
    suspended.getSpec().setSuspend(true);
    dispatcher.apply(List.of(suspended));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(reason("paused")).isEqualTo(TriggerState.SUSPENDED));
    assertThat(state("paused").ready()).isTrue();
    assertThat(state("paused").message()).contains("committed offsets");
    assertThat(registry.get("kinetic.dispatcher.lag.records").gauge().value())
        .as("not measured while no consumer runs")
        .isEqualTo(-1);
    Set<String> whileSuspended = topics.produce("paused", 100, i -> "k" + (i % 10));
    // Longer than the stream's poll and commit intervals: a consumer still running would deliver.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> whileSuspended.stream().noneMatch(delivered::contains));
    assertThat(topics.committed(group, "paused")).isEqualTo(100);

    dispatcher.apply(List.of(running));
    await().atMost(Duration.ofSeconds(60)).until(() -> delivered.containsAll(whileSuspended));
    await().atMost(Duration.ofSeconds(30)).until(() -> topics.committed(group, "paused") == 200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(reason("paused")).isEqualTo(TriggerState.CONSUMING));
    // The state is published after the commit (seen once: 199 with 200 committed), as above.
    await().atMost(Duration.ofSeconds(10)).until(() -> state("paused").counts().delivered() >= 200);
  }

  @Test
  void aRecordRefusedGoesToTheDeadLetterFunctionAsItsEventWithWhyAndItsPartitionMovesOn()
      throws Exception {
    topics.topic("refused", 1);
    Set<String> before = topics.produce("refused", 10, i -> "k" + i);
    topics.send("refused", "bad", "poison".getBytes(StandardCharsets.UTF_8));
    topics.send("refused", "big", new byte[4096]);
    Set<String> after = topics.produce("refused", 10, i -> "k" + i);
    startDispatcher();
    KafkaSpec kafka = kafka(broker.bootstrapServers(), "refused");
    kafka.setInitialOffset(KafkaSpec.EARLIEST);
    kafka.setMaxRecordBytes(1024);
    Trigger trigger = trigger("refused", kafka);
    trigger.getSpec().getDelivery().setDeadLetterFunction(DEAD_LETTERS);
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(60)).until(() -> delivered.containsAll(after));
    assertThat(delivered).containsAll(before);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state("refused").counts().deadLettered() == 2);
    assertThat(state("refused").counts().failed()).isEqualTo(2);
    assertThat(reason("refused")).isEqualTo(TriggerState.CONSUMING);
    CloudEvent poison = deadLetters.get(0);
    assertThat(poison.getId()).isEqualTo(KafkaEvents.id("refused", 0, 10));
    assertThat(new String(poison.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("poison");
    assertThat(poison.getExtension(DeadLetters.ERROR).toString())
        .isEqualTo("answered 400, a final answer (not retried)");
    assertThat(poison.getExtension(DeadLetters.ERROR_FUNCTION)).isEqualTo("orders-fn");
    CloudEvent big = deadLetters.get(1);
    assertThat(big.getId()).isEqualTo(KafkaEvents.id("refused", 0, 11));
    assertThat(big.getData()).as("too large to send again").isNull();
    assertThat(big.getExtension("kineticvaluebytes")).isEqualTo(4096);
    assertThat(big.getExtension(DeadLetters.ERROR).toString()).contains("above maxRecordBytes");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> topics.committed("kinetic.team-a.refused", "refused") == 22);
  }

  private static KafkaSpec kafka(String bootstrap, String topic) {
    KafkaSpec kafka = new KafkaSpec();
    kafka.setBootstrapServers(bootstrap);
    kafka.setTopics(List.of(topic));
    return kafka;
  }

  private static KafkaSpec sasl(String secret) {
    KafkaSpec kafka = kafka(broker.saslBootstrapServers(), "secured");
    kafka.setInitialOffset(KafkaSpec.EARLIEST);
    KafkaAuthSpec auth = new KafkaAuthSpec();
    KafkaAuthSpec.Sasl sasl = new KafkaAuthSpec.Sasl();
    sasl.setMechanism(KafkaAuthSpec.SCRAM_SHA_512);
    sasl.setSecret(secret);
    auth.setSasl(sasl);
    kafka.setAuth(auth);
    return kafka;
  }

  private static Trigger trigger(String name, KafkaSpec kafka) {
    Trigger trigger = new Trigger();
    trigger.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("team-a")
            .withName(name)
            .withUid("uid-" + name)
            .withGeneration(1L)
            .build());
    TriggerSpec spec = new TriggerSpec();
    spec.setFunction("orders-fn");
    spec.setKafka(kafka);
    DeliverySpec delivery = new DeliverySpec();
    delivery.setMinBackoff("100ms");
    delivery.setMaxBackoff("1s");
    spec.setDelivery(delivery);
    trigger.setSpec(spec);
    return trigger;
  }

  private TriggerState state(String name) {
    return dispatcher.states().get(new TriggerRef("team-a", name, "uid-" + name));
  }

  /** The reason, with the message to tell what went wrong when it is not the one awaited. */
  private String reason(String name) {
    TriggerState s = state(name);
    return s == null ? "" : s.reason() + (s.ready() ? "" : ": " + s.message());
  }
}
