package dev.kinetic.dispatcher.kafka;

import dev.kinetic.dispatcher.EventStream;
import dev.kinetic.dispatcher.TriggerProblem;
import dev.kinetic.dispatcher.TriggerState;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running Kafka Trigger: its delivery, and a probe every interval for the Ready condition and the
 * lag. A consumer that stopped by itself is reported stopped, with its failure as the problem.
 */
final class KafkaStream implements EventStream {
  private final KafkaSource source;
  private final KafkaDelivery delivery;
  private final KafkaProbe probe;
  private final ScheduledFuture<?> probing;
  private volatile KafkaProbe.Health health;

  KafkaStream(
      KafkaSource source,
      KafkaDelivery delivery,
      KafkaProbe probe,
      ScheduledExecutorService probes,
      java.time.Duration interval) {
    this.source = source;
    this.delivery = delivery;
    this.probe = probe;
    // Unknown until the brokers first answer: Consuming is said only of what was checked.
    this.health =
        new KafkaProbe.Health(
            Optional.of(
                new TriggerProblem(
                    TriggerState.PENDING,
                    "asking " + source.bootstrapServers() + " for the topics")),
            OptionalLong.empty());
    this.probing =
        probes.scheduleWithFixedDelay(
            () -> health = probe.check(), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Progress progress() {
    KafkaDelivery.Counts c = delivery.counts();
    Optional<TriggerProblem> failed = delivery.failure().map(f -> KafkaProbe.problem(source, f));
    KafkaProbe.Health h = health;
    return new Progress(
        c.delivered.get(),
        c.failed.get() + c.deadLettered.get(),
        c.deadLettered.get(),
        h.lag(),
        failed.or(h::problem),
        failed.isPresent(),
        Optional.ofNullable(c.lastGivenUp.get()));
  }

  @Override
  public String describe() {
    return "consuming "
        + String.join(", ", source.topics())
        + " from "
        + source.bootstrapServers()
        + " as group "
        + source.groupId()
        + (source.ordered() ? ", in order per partition" : ", unordered")
        + ", up to "
        + source.maxInFlight()
        + " in flight";
  }

  @Override
  public void close() {
    probing.cancel(true);
    delivery.close();
    probe.close();
  }
}
