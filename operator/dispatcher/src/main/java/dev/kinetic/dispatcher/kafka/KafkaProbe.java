package dev.kinetic.dispatcher.kafka;

import dev.kinetic.dispatcher.TriggerProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the brokers, with an admin client, what a consumer would not say: whether they answer,
 * whether the topics exist, whether the credentials are accepted, and how far the group is behind.
 * Each check is bounded by its timeout.
 */
final class KafkaProbe implements AutoCloseable {
  /**
   * @param lag records not yet committed over every partition of the topics, when measured
   */
  record Health(Optional<TriggerProblem> problem, OptionalLong lag) {}

  private final KafkaSource source;
  private final Duration timeout;
  private final Admin admin;

  KafkaProbe(KafkaSource source, Duration timeout) {
    this.source = source;
    this.timeout = timeout;
    Map<String, Object> config = new HashMap<>(source.clientProperties());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(
        AdminClientConfig.CLIENT_ID_CONFIG,
        "kinetic-probe-" + source.trigger().namespace() + "-" + source.trigger().name());
    KafkaClientLogs.warningsAndUp();
    this.admin = Admin.create(config);
  }

  Health check() {
    try {
      Map<String, TopicDescription> topics =
          get(admin.describeTopics(source.topics()).allTopicNames());
      List<TopicPartition> partitions = new ArrayList<>();
      topics.forEach(
          (name, d) ->
              d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
      Map<TopicPartition, OffsetAndMetadata> committed =
          get(admin.listConsumerGroupOffsets(source.groupId()).partitionsToOffsetAndMetadata());
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          offsets(partitions, OffsetSpec.latest());
      List<TopicPartition> fresh =
          partitions.stream().filter(p -> committed.get(p) == null).toList();
      // A partition the group never committed starts at the oldest record, or at the end.
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          source.fromEarliest() && !fresh.isEmpty()
              ? offsets(fresh, OffsetSpec.earliest())
              : Map.of();
      long lag = 0;
      for (TopicPartition p : partitions) {
        long end = ends.get(p).offset();
        OffsetAndMetadata c = committed.get(p);
        long from = c != null ? c.offset() : starts.containsKey(p) ? starts.get(p).offset() : end;
        lag += Math.max(0, end - from);
      }
      return new Health(Optional.empty(), OptionalLong.of(lag));
    } catch (TriggerProblem p) {
      return new Health(Optional.of(p), OptionalLong.empty());
    }
  }

  private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(
      List<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(p -> request.put(p, spec));
    return get(admin.listOffsets(request).all());
  }

  private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw problem(source, e.getCause());
    } catch (TimeoutException e) {
      throw problem(source, new org.apache.kafka.common.errors.TimeoutException(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw problem(source, e);
    }
  }

  /**
   * A client failure as a Ready condition: the reason a user can act on, and the broker's words.
   */
  static TriggerProblem problem(KafkaSource source, Throwable failure) {
    String brokers = source.bootstrapServers();
    if (failure instanceof UnknownTopicOrPartitionException) {
      return new TriggerProblem(
          TriggerProblem.TOPIC_NOT_FOUND,
          "a topic of " + source.topics() + " does not exist on " + brokers);
    }
    if (failure instanceof AuthenticationException) {
      return new TriggerProblem(
          TriggerProblem.AUTHENTICATION_FAILED,
          brokers + " refused the credentials: " + failure.getMessage());
    }
    if (failure instanceof AuthorizationException) {
      return new TriggerProblem(
          TriggerProblem.NOT_AUTHORIZED,
          brokers
              + " refused access to the topics or to group "
              + source.groupId()
              + ": "
              + failure.getMessage());
    }
    String why = failure == null ? "no answer" : failure.getMessage();
    return new TriggerProblem(
        TriggerProblem.KAFKA_UNREACHABLE,
        "no answer from "
            + brokers
            + (failure instanceof KafkaException ? ": " + why : ": " + failure));
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
