package dev.kinetic.dispatcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.dispatcher.TriggerRef;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaEventsTest {
  private static final TriggerRef TRIGGER = new TriggerRef("team-a", "orders", "uid-1");

  private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    headers.add("X-Trace_ID", "abc".getBytes(StandardCharsets.UTF_8));
    headers.add("--", "dropped".getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(
        "orders",
        4,
        1234L,
        1_767_225_600_000L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        headers,
        Optional.empty());
  }

  @Test
  void aRecordIsAnEventIdentifiedByItsCoordinates() {
    CloudEvent e = KafkaEvents.of(TRIGGER, record("customer-7", "{\"id\":1}"));

    assertThat(e.getId()).isEqualTo("orders/4/1234");
    assertThat(e.getType()).isEqualTo(KafkaEvents.TYPE);
    assertThat(e.getSource().toString())
        .isEqualTo("/apis/kinetic.dev/v1alpha1/namespaces/team-a/triggers/orders#orders");
    assertThat(e.getSubject()).isEqualTo("4:1234");
    assertThat(e.getTime().toInstant().toString()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(e.getExtension("partitionkey")).isEqualTo("customer-7");
    assertThat(e.getExtension("kafkaheaderxtraceid")).isEqualTo("abc");
    assertThat(e.getExtensionNames())
        .containsExactlyInAnyOrder("partitionkey", "kafkaheaderxtraceid");
    assertThat(e.getDataContentType()).isEqualTo("application/json");
    assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
  }

  @Test
  void aTombstoneWithoutKeyIsAnEventWithoutDataOrKey() {
    CloudEvent e = KafkaEvents.of(TRIGGER, record(null, null));
    assertThat(e.getData()).isNull();
    assertThat(e.getExtension("partitionkey")).isNull();
  }
}
