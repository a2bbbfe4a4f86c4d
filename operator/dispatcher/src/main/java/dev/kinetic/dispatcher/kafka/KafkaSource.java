package dev.kinetic.dispatcher.kafka;

import dev.kinetic.dispatcher.DeliveryPolicy;
import dev.kinetic.dispatcher.TriggerRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one Kafka Trigger consumes and how its records are delivered.
 *
 * @param function the Function in the Trigger's namespace
 * @param groupId the consumer group: the offsets committed are this group's
 * @param fromEarliest where a group with no committed offset starts: the oldest record, else new
 *     records only
 * @param ordered one record in flight per partition, so records of a partition (and of a key) reach
 *     the function in order; otherwise up to {@code maxInFlight} at once across partitions
 * @param maxInFlight records being delivered at once, at most (the function's capacity: its hard
 *     limit times its maximum pods)
 * @param bufferPerPartition records fetched and waiting per partition before consumption of that
 *     partition pauses: with {@code max.poll.records}, the bound on memory whatever the backlog
 * @param maxRecordBytes a record whose value is larger is not delivered but given up on at once
 *     (written to the dead-letter topic)
 * @param deadLetterTopic where a record given up on is written (with headers saying why)
 * @param deadLetterFunction or the Function of the namespace a record given up on is sent to, as
 *     its event with why; with neither, it is counted failed and skipped
 * @param commitInterval how often finished offsets are committed
 * @param clientProperties more Kafka client settings (security, for one)
 */
public record KafkaSource(
    TriggerRef trigger,
    String function,
    String bootstrapServers,
    List<String> topics,
    String groupId,
    boolean fromEarliest,
    boolean ordered,
    int maxInFlight,
    int bufferPerPartition,
    int maxRecordBytes,
    Optional<String> deadLetterTopic,
    Optional<String> deadLetterFunction,
    DeliveryPolicy delivery,
    Duration commitInterval,
    Map<String, Object> clientProperties) {

  public KafkaSource {
    if (maxInFlight < 1 || bufferPerPartition < 1 || maxRecordBytes < 1) {
      throw new IllegalArgumentException(
          "maxInFlight, bufferPerPartition and maxRecordBytes must be at least 1");
    }
    topics = List.copyOf(topics);
    clientProperties = Map.copyOf(clientProperties);
  }
}
