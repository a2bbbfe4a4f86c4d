package dev.kinetic.local;

import dev.kinetic.activator.ActivatorSettings;
import dev.kinetic.dispatcher.kafka.KafkaBroker;
import dev.kinetic.dispatcher.kafka.KafkaTopics;
import dev.kinetic.routes.FunctionKey;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code make bench-triggers}: Kafka records delivered to examples/hello (a no-op function) through
 * local mode's dispatcher and activator, beside a plain Kafka consumer on the same machine that
 * posts each record straight to the same function's process with as many in flight (the baseline):
 * (1) records per second over a backlog; (2) latency from the record's timestamp to the function's
 * 2xx at a fixed produce rate; (3) the first record at zero pods, to its delivery. Writes a
 * Markdown section to the file named by the first argument.
 */
public final class TriggerBench {
  private static final FunctionKey HELLO = new FunctionKey("default", "hello");
  private static final int BACKLOG = 20_000;
  private static final int IN_FLIGHT = 16;
  private static final int RATE = 200;
  private static final int RATE_SECONDS = 15;

  private TriggerBench() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
    Path jar = root.resolve("examples/hello/target/function.jar");
    Path brokerDir = Files.createTempDirectory("bench-kafka");
    try (KafkaBroker broker = KafkaBroker.start(brokerDir);
        KafkaTopics topics = new KafkaTopics(broker.bootstrapServers())) {
      String bootstrap = broker.bootstrapServers();
      topics.produce(topics.topic("plain", 6), BACKLOG, i -> "k" + (i % 100));
      topics.produce(topics.topic("kinetic", 6), BACKLOG, i -> "k" + (i % 100));
      topics.topic("plain-rate", 6);
      topics.topic("kinetic-rate", 6);
      topics.topic("cold", 1);

      // The baseline: the function's bare process, a plain consumer posting to it.
      int port = freePort();
      Process hello = bare(jar, port);
      Plain plain;
      try {
        URI direct = URI.create("http://127.0.0.1:" + port + "/");
        warm(direct);
        plain = plain(bootstrap, "plain", direct, BACKLOG, null);
        Plain plainRate = plain(bootstrap, "plain-rate", direct, RATE * RATE_SECONDS, bootstrap);
        plain = new Plain(plain.perSecond(), plainRate.latenciesMs());
      } finally {
        hello.destroy();
        hello.waitFor(30, TimeUnit.SECONDS);
      }

      // Kinetic: local mode, the function warm (min 1), a Trigger per topic.
      Path dir = Files.createTempDirectory("bench-triggers");
      Files.writeString(
          dir.resolve("function.yaml"),
          TestManifests.function("hello", jar, IN_FLIGHT, 1, "10m").replace("min: 0", "min: 1"));
      LocalPlatform platform = start(dir);
      double kineticPerSecond;
      List<Double> kineticLatency;
      try {
        await(() -> platform.pods(HELLO).ready() >= 1, Duration.ofSeconds(60));
        trigger(platform, dir, "kinetic", bootstrap, "Earliest");
        // From the first delivery to the last, as for the plain consumer: joining the group and
        // starting the clients are left out on both sides. The counter moves at each 2xx.
        await(() -> deliveredNow(platform, "kinetic") >= 1, Duration.ofMinutes(1));
        long start = System.nanoTime();
        double first = deliveredNow(platform, "kinetic");
        await(() -> deliveredNow(platform, "kinetic") >= BACKLOG, Duration.ofMinutes(5), 2);
        kineticPerSecond = (BACKLOG - first) / ((System.nanoTime() - start) / 1e9);
        Files.delete(dir.resolve("kinetic.yaml"));
        trigger(platform, dir, "kinetic-rate", bootstrap, "Latest");
        await(() -> consuming(platform, "kinetic-rate"), Duration.ofSeconds(60));
        produceAtRate(bootstrap, "kinetic-rate", RATE, RATE_SECONDS);
        await(
            () -> delivered(platform, "kinetic-rate") >= RATE * RATE_SECONDS,
            Duration.ofMinutes(2));
        kineticLatency = histogram(latencyTimer(platform, "kinetic-rate"));
      } finally {
        platform.close();
      }

      // The first record at zero pods.
      Path coldDir = Files.createTempDirectory("bench-triggers-cold");
      Files.writeString(
          coldDir.resolve("function.yaml"),
          TestManifests.function("hello", jar, IN_FLIGHT, 1, "10m"));
      LocalPlatform cold = start(coldDir);
      double coldMs;
      try {
        trigger(cold, coldDir, "cold", bootstrap, "Latest");
        await(() -> consuming(cold, "cold"), Duration.ofSeconds(60));
        produceAtRate(bootstrap, "cold", 1, 1);
        await(() -> delivered(cold, "cold") >= 1, Duration.ofSeconds(60));
        coldMs = latencyTimer(cold, "cold").max(TimeUnit.MILLISECONDS);
      } finally {
        cold.close();
      }

      String out =
          report(plain.perSecond(), kineticPerSecond, plain.latenciesMs(), kineticLatency, coldMs);
      System.out.print(out);
      Files.writeString(Path.of(args[0]), out);
    }
  }

  private static String report(
      double plainPerSecond,
      double kineticPerSecond,
      List<Double> plainLatency,
      List<Double> kineticLatency,
      double coldMs) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Measured %s with `make bench-triggers` on %d cores (%s): one KRaft broker, examples/hello,"
                + " %d in flight on both sides.%n%n",
            LocalDate.now(),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            IN_FLIGHT));
    out.append(
        "| | plain consumer → function | Kafka Trigger → dispatcher → activator → function | ratio |\n");
    out.append("| --- | --- | --- | --- |\n");
    out.append(
        String.format(
            Locale.ROOT,
            "| records/s over a backlog of %,d (6 partitions, unordered), first 2xx to last | %.0f |"
                + " %.0f | %.2f× |%n",
            BACKLOG,
            plainPerSecond,
            kineticPerSecond,
            kineticPerSecond / plainPerSecond));
    out.append(
        String.format(
            Locale.ROOT,
            "| latency p50 at %d records/s, record timestamp to 2xx | %.1f ms | ≤ %.1f ms |  |%n",
            RATE,
            percentile(plainLatency, 0.5),
            kineticLatency.get(0)));
    out.append(
        String.format(
            Locale.ROOT,
            "| latency p99 at %d records/s | %.1f ms | ≤ %.1f ms |  |%n",
            RATE,
            percentile(plainLatency, 0.99),
            kineticLatency.get(1)));
    out.append(
        String.format(
            Locale.ROOT,
            "| first record at zero pods, timestamp to 2xx (a process started for it) | | %.0f ms |"
                + "  |%n",
            coldMs));
    out.append(
        "\nThe Trigger's latencies are read from its `kinetic_dispatcher_delivery_latency_seconds`"
            + " histogram, so they are bucket bounds (≤); the plain consumer's are exact.\n");
    return out.toString();
  }

  private record Plain(double perSecond, List<Double> latenciesMs) {}

  /**
   * A plain consumer: polls, posts each record's value to the function with at most {@link
   * #IN_FLIGHT} at once, commits after each batch. With {@code produceTo}, records are produced at
   * {@link #RATE} meanwhile and latencies measured.
   */
  private static Plain plain(
      String bootstrap, String topic, URI function, int expected, String produceTo)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    int done = 0;
    CompletableFuture<Void> producing = CompletableFuture.completedFuture(null);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long[] start = {0};
      if (produceTo != null) {
        producing =
            CompletableFuture.runAsync(() -> produceAtRate(bootstrap, topic, RATE, RATE_SECONDS));
      }
      while (done < expected) {
        List<CompletableFuture<?>> batch = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          slots.acquire();
          long timestamp = r.timestamp();
          batch.add(
              client
                  .sendAsync(
                      HttpRequest.newBuilder(function)
                          .POST(HttpRequest.BodyPublishers.ofByteArray(r.value()))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .whenComplete(
                      (response, failure) -> {
                        slots.release();
                        if (start[0] == 0) {
                          start[0] = System.nanoTime();
                        }
                        if (failure == null && response.statusCode() == 200) {
                          latencies.add((double) (System.currentTimeMillis() - timestamp));
                        }
                      }));
        }
        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
        done += batch.size();
        consumer.commitSync();
      }
      double seconds = (System.nanoTime() - start[0]) / 1e9;
      producing.join();
      return new Plain((expected - 1) / seconds, latencies);
    }
  }

  private static void produceAtRate(String bootstrap, String topic, int perSecond, int seconds) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false,
                ProducerConfig.LINGER_MS_CONFIG,
                0),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
      for (int i = 0; i < perSecond * seconds; i++) {
        LockSupport.parkNanos(start + i * interval - System.nanoTime());
        producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), new byte[] {'x'}));
      }
      producer.flush();
    }
  }

  private static void trigger(
      LocalPlatform platform, Path dir, String topic, String bootstrap, String offset)
      throws Exception {
    Files.writeString(
        dir.resolve(topic + ".yaml"),
        """
        apiVersion: kinetic.dev/v1alpha1
        kind: Trigger
        metadata:
          name: %s
        spec:
          function: hello
          kafka:
            bootstrapServers: %s
            topics: [%s]
            initialOffset: %s
            ordering: Unordered
        """
            .formatted(topic, bootstrap, topic, offset));
    Manifests.Loaded loaded = Manifests.load(dir, "java");
    if (!loaded.problems().isEmpty()) {
      throw new IllegalStateException("refused: " + loaded.problems());
    }
    platform.apply(loaded);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> triggerStatus(LocalPlatform platform, String name) {
    return ((List<Map<String, Object>>) platform.status().get("triggers"))
        .stream().filter(t -> name.equals(t.get("name"))).findFirst().orElse(Map.of());
  }

  /**
   * The dispatcher's delivered counter: moved at each 2xx, where the status is read each second.
   */
  private static double deliveredNow(LocalPlatform platform, String trigger) {
    var counter =
        platform
            .meters()
            .find("kinetic.dispatcher.events.delivered")
            .tag("trigger", trigger)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static long delivered(LocalPlatform platform, String name) {
    Object d = triggerStatus(platform, name).get("delivered");
    return d == null ? 0 : ((Number) d).longValue();
  }

  @SuppressWarnings("unchecked")
  private static boolean consuming(LocalPlatform platform, String name) {
    Object conditions = triggerStatus(platform, name).get("conditions");
    return conditions != null
        && "Consuming".equals(((List<Map<String, Object>>) conditions).get(0).get("reason"));
  }

  private static Timer latencyTimer(LocalPlatform platform, String trigger) {
    return platform
        .meters()
        .get("kinetic.dispatcher.delivery.latency")
        .tag("trigger", trigger)
        .timer();
  }

  /** p50 and p99 as the upper bounds of the histogram's buckets that hold them, in ms. */
  private static List<Double> histogram(Timer timer) {
    CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
    long total = timer.count();
    List<Double> out = new ArrayList<>();
    for (double q : new double[] {0.5, 0.99}) {
      double bound = Double.NaN;
      for (CountAtBucket b : buckets) {
        if (b.count() >= q * total) {
          bound = b.bucket(TimeUnit.MILLISECONDS);
          break;
        }
      }
      out.add(bound);
    }
    return out;
  }

  private static LocalPlatform start(Path dir) throws Exception {
    Manifests.Loaded loaded = Manifests.load(dir, "java");
    return LocalPlatform.start(
        loaded,
        ActivatorSettings.defaults().withPorts(0, 0),
        LocalObjects.NONE,
        Clock.systemUTC(),
        new PrintStream(new ByteArrayOutputStream()));
  }

  private static Process bare(Path jar, int port) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toString());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("KINETIC_METRICS_PORT", "0");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  private static void warm(URI uri) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int ok = 0;
    while (ok < 200 && System.nanoTime() < deadline) {
      try {
        if (client
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          ok++;
        }
      } catch (java.io.IOException notYet) {
        LockSupport.parkNanos(10_000_000);
      }
    }
  }

  private static void await(java.util.function.BooleanSupplier done, Duration atMost) {
    await(done, atMost, 50);
  }

  private static void await(java.util.function.BooleanSupplier done, Duration atMost, int everyMs) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within " + atMost);
      }
      LockSupport.parkNanos(everyMs * 1_000_000L);
    }
  }

  private static double percentile(List<Double> sample, double q) {
    List<Double> sorted = new ArrayList<>(sample);
    Collections.sort(sorted);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
