package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.dispatcher.kafka.KafkaBroker;
import dev.kinetic.dispatcher.kafka.KafkaTopics;
import dev.kinetic.routes.FunctionKey;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Trigger in local mode, as in a cluster: a real broker (KRaft, from Maven Central's jars),
 * the real dispatcher, activator and autoscaler, and a real function process at zero that prints
 * every event it is sent (test resource event-sink/sink.py).
 */
class LocalKafkaIT {
  private static final FunctionKey SINK = new FunctionKey("default", "sink");
  private static final Pattern EVENT =
      Pattern.compile("\\[default/sink pod-\\d+] event id=(\\S+) .* answered=(\\d+) .*");

  @TempDir static Path brokerDir;
  private static KafkaBroker broker;
  private static KafkaTopics topics;

  @TempDir Path dir;
  private LocalPlatform platform;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(brokerDir);
    topics = new KafkaTopics(broker.bootstrapServers());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    Files.writeString(Path.of("target", "local-kafka-broker.log"), broker.log());
    topics.close();
    broker.close();
  }

  @AfterEach
  void stop() {
    if (platform != null) {
      System.out.println(platform.status());
      platform.close();
    }
    // What local mode printed last, the function's lines among them, for a failure's story.
    List<String> lines = logs.toString().lines().toList();
    lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(System.out::println);
  }

  @Test
  void tenThousandRecordsOverSixPartitionsWakeAFunctionAtZeroAreEachDeliveredAndItSleepsAgain()
      throws Exception {
    Set<String> produced =
        topics.produce(topics.topic("orders", 6), 10_000, i -> "customer-" + (i % 250));
    Files.copy(
        Path.of(LocalKafkaIT.class.getResource("/event-sink/sink.py").toURI()),
        dir.resolve("sink.py"),
        StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        dir.resolve("function.yaml"),
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata:
          name: sink
          annotations: {kinetic.dev/local-command: python3 -u sink.py}
        spec:
          image: example.com/sink:1
          timeoutSeconds: 10
          concurrency: {hard: 8}
          scale: {min: 0, max: 2, idleTimeout: 5s, window: 6s}
        """);
    Files.writeString(
        dir.resolve("trigger.yaml"),
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Trigger
        metadata:
          name: orders
        spec:
          function: sink
          kafka:
            bootstrapServers: %s
            topics: [orders]
            initialOffset: Earliest
            ordering: Unordered
        """
            .formatted(broker.bootstrapServers()));
    Manifests.Loaded loaded = Manifests.load(dir, "java");
    assertThat(loaded.problems()).isEmpty();
    platform = TestManifests.start(loaded, logs);
    AtomicInteger mostPods = new AtomicInteger();

    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              mostPods.accumulateAndGet(platform.pods(SINK).running(), Math::max);
              Set<String> seen = delivered().keySet();
              List<String> missing = produced.stream().filter(id -> !seen.contains(id)).toList();
              assertThat(missing)
                  .as(
                      "%d of %d not delivered yet, e.g. %s; delivered e.g. %s",
                      missing.size(),
                      produced.size(),
                      missing.stream().limit(3).toList(),
                      seen.stream().limit(3).toList())
                  .isEmpty();
            });
    Map<String, Long> delivered = delivered();
    long attempts = delivered.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        "local mode, 10,000 records over 6 partitions from zero pods: %d distinct delivered,"
            + " lost %d, %d duplicates, at most %d pods%n",
        delivered.size(),
        produced.size() - delivered.size(),
        attempts - delivered.size(),
        mostPods.get());
    assertThat(delivered.keySet()).isEqualTo(produced);
    // No crash here, so none is expected; the bound is the records in flight (hard 8 x 2 pods).
    assertThat(attempts - delivered.size()).as("duplicates").isLessThanOrEqualTo(16);
    assertThat(mostPods.get()).as("scaled from zero").isBetween(1, 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(trigger()).containsEntry("lag", 0L));
    assertThat(condition()).containsEntry("status", "True").containsEntry("reason", "Consuming");
    assertThat(((Number) trigger().get("delivered")).longValue()).isGreaterThanOrEqualTo(10_000);
    // The lag is zero: nothing asks for pods, and the function goes back to zero once idle for
    // its idleTimeout (5 s) and its window (6 s) has no demand left in it.
    await().atMost(Duration.ofSeconds(120)).until(() -> platform.pods(SINK).running() == 0);
  }

  /** How many times each event id reached the function with a 2xx. */
  private Map<String, Long> delivered() {
    Map<String, Long> out = new HashMap<>();
    logs.toString()
        .lines()
        .map(EVENT::matcher)
        .filter(Matcher::matches)
        .filter(m -> m.group(2).equals("200"))
        .collect(Collectors.groupingBy(m -> m.group(1), Collectors.counting()))
        .forEach(out::put);
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> trigger() {
    return ((List<Map<String, Object>>) platform.status().get("triggers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> condition() {
    return ((List<Map<String, Object>>) trigger().get("conditions")).get(0);
  }
}
