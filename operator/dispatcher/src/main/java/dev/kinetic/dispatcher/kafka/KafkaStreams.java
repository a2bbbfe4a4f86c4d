package dev.kinetic.dispatcher.kafka;

import dev.kinetic.api.KafkaSpec;
import dev.kinetic.api.Trigger;
import dev.kinetic.dispatcher.DeadLetters;
import dev.kinetic.dispatcher.DeliveryObserver;
import dev.kinetic.dispatcher.DeliveryPolicy;
import dev.kinetic.dispatcher.EventSender;
import dev.kinetic.dispatcher.EventStream;
import dev.kinetic.dispatcher.EventStreams;
import dev.kinetic.dispatcher.TriggerRef;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.KafkaException;

/** Starts the Kafka stream of each Trigger with a {@code kafka} source. */
public final class KafkaStreams implements EventStreams, AutoCloseable {
  /**
   * @param bufferPerPartition records fetched and waiting per partition before that partition is
   *     paused (the memory bound, with the record size)
   * @param commitInterval how often delivered offsets are committed
   * @param probeInterval how often the brokers are asked for the lag and the Ready condition
   * @param probeTimeout how long one probe waits for the brokers before it says unreachable
   */
  public record Settings(
      int bufferPerPartition,
      Duration commitInterval,
      Duration probeInterval,
      Duration probeTimeout) {
    public static final Settings DEFAULTS =
        new Settings(100, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  private final EventSender sender;
  private final SecretReader secrets;
  private final Settings settings;
  private final ScheduledExecutorService probes =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kinetic-kafka-probes");
            t.setDaemon(true);
            return t;
          });

  public KafkaStreams(EventSender sender, SecretReader secrets, Settings settings) {
    this.sender = sender;
    this.secrets = secrets;
    this.settings = settings;
  }

  @Override
  public EventStream start(
      TriggerRef ref,
      Trigger trigger,
      DeliveryPolicy policy,
      int maxInFlight,
      DeliveryObserver observer) {
    KafkaSource source = source(ref, trigger, policy, maxInFlight, secrets, settings);
    KafkaDelivery delivery;
    try {
      delivery = KafkaDelivery.start(source, sender, observer);
    } catch (KafkaException e) {
      throw KafkaProbe.problem(source, e.getCause() != null ? e.getCause() : e);
    }
    try {
      return new KafkaStream(
          source,
          delivery,
          new KafkaProbe(source, settings.probeTimeout()),
          probes,
          settings.probeInterval());
    } catch (KafkaException e) {
      delivery.close();
      throw KafkaProbe.problem(source, e.getCause() != null ? e.getCause() : e);
    }
  }

  /** The source a Trigger's spec names, with the defaults filled in. */
  static KafkaSource source(
      TriggerRef ref,
      Trigger trigger,
      DeliveryPolicy policy,
      int maxInFlight,
      SecretReader secrets,
      Settings settings) {
    KafkaSpec k = trigger.getSpec().getKafka();
    Map<String, Object> client = KafkaClientConfig.of(k, ref.namespace(), secrets);
    return new KafkaSource(
        ref,
        trigger.getSpec().getFunction(),
        k.getBootstrapServers(),
        k.getTopics(),
        Optional.ofNullable(k.getConsumerGroup())
            .orElse("kinetic." + ref.namespace() + "." + ref.name()),
        KafkaSpec.EARLIEST.equals(k.getInitialOffset()),
        !KafkaSpec.UNORDERED.equals(k.getOrdering()),
        maxInFlight,
        settings.bufferPerPartition(),
        Optional.ofNullable(k.getMaxRecordBytes()).orElse(KafkaSpec.DEFAULT_MAX_RECORD_BYTES),
        Optional.ofNullable(k.getDeadLetterTopic()),
        DeadLetters.function(trigger),
        policy,
        settings.commitInterval(),
        client);
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
