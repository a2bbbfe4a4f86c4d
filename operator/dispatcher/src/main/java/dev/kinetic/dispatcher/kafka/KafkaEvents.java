package dev.kinetic.dispatcher.kafka;

import dev.kinetic.dispatcher.ScheduleEvents;
import dev.kinetic.dispatcher.TriggerRef;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The CloudEvent of one Kafka record: its id is topic/partition/offset, the same on every attempt
 * and after every restart, so a function can drop a duplicate by id. The value is the body as it
 * is; its {@code content-type} header, if any, is the event's content type. The key becomes the
 * {@code partitionkey} extension (the CloudEvents Kafka binding's), each other header an extension
 * {@code kafkaheader<name>} with the name lower-cased and reduced to letters and digits (as
 * Knative's KafkaSource does); a header whose name has none is left out.
 */
public final class KafkaEvents {
  /** The {@code ce-type} of every Kafka event. */
  public static final String TYPE = "dev.kinetic.trigger.kafka";

  private KafkaEvents() {}

  public static CloudEvent of(TriggerRef trigger, ConsumerRecord<byte[], byte[]> record) {
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId(id(record.topic(), record.partition(), record.offset()))
            .withSource(URI.create(ScheduleEvents.source(trigger) + "#" + record.topic()))
            .withType(TYPE)
            .withSubject(record.partition() + ":" + record.offset());
    if (record.timestamp() >= 0) {
      builder.withTime(Instant.ofEpochMilli(record.timestamp()).atOffset(ZoneOffset.UTC));
    }
    if (record.key() != null) {
      builder.withExtension("partitionkey", new String(record.key(), StandardCharsets.UTF_8));
    }
    String contentType = null;
    for (Header header : record.headers()) {
      String value =
          header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
      if (header.key().equalsIgnoreCase("content-type")) {
        contentType = value;
        continue;
      }
      String name = header.key().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
      if (!name.isEmpty()) {
        builder.withExtension("kafkaheader" + name, value);
      }
    }
    if (record.value() != null) {
      builder.withData(contentType, record.value());
    }
    return builder.build();
  }

  public static String id(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }
}
