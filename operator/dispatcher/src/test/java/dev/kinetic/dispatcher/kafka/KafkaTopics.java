package dev.kinetic.dispatcher.kafka;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topics of a test broker: made, filled, read back, and the offsets a group committed. */
public final class KafkaTopics implements AutoCloseable {
  private final String bootstrapServers;
  private final Admin admin;

  public KafkaTopics(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  public String topic(String name, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    return name;
  }

  /** Sends {@code n} records whose value is their index; returns their event ids. */
  public Set<String> produce(String topic, int n, Function<Integer, String> key) throws Exception {
    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
        new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            // Not idempotent: Kafka 4.4's idempotent producer here sometimes wedged a partition
            // (OutOfOrderSequenceException in the broker's log, batches expiring unsent); one
            // request in flight keeps a partition's records in order without it.
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                1,
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    key.apply(i).getBytes(StandardCharsets.UTF_8),
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8))));
      }
      producer.flush();
      Set<String> ids = new HashSet<>();
      for (var f : sent) {
        var m = f.get(60, TimeUnit.SECONDS);
        ids.add(KafkaEvents.id(m.topic(), m.partition(), m.offset()));
      }
      return ids;
    }
  }

  public long committed(String group, String topic) throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get()
        .entrySet()
        .stream()
        .filter(e -> e.getKey().topic().equals(topic))
        .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset())
        .sum();
  }

  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.assign(List.of(new TopicPartition(topic, 0)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
              });
    }
    return out;
  }

  public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** One record, for the odd case (a value too large, say). */
  public void send(String topic, String key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                false),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
          .get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
