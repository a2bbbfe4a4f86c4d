package dev.kinetic.dispatcher.kafka;

import dev.kinetic.dispatcher.DeadLetters;
import dev.kinetic.dispatcher.DeliveryObserver;
import dev.kinetic.dispatcher.DeliveryPolicy;
import dev.kinetic.dispatcher.EventSender;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Consumes a {@link KafkaSource}'s topics and delivers each record as a CloudEvent, at least once:
 * an offset is committed only once its record, and every record before it in its partition, was
 * delivered (a 2xx) or written to the dead-letter topic. Retries follow the Trigger's {@link
 * DeliveryPolicy}; in ordered mode a partition waits for its record being retried, otherwise the
 * other records flow around it.
 *
 * <p>One thread owns the consumer (which is not thread-safe) and every partition's state; answers
 * and back-off timers hand their work back to it through a queue. Back-pressure: never more than
 * {@code maxInFlight} records past their commit points (so at most that many deliveries at once,
 * and at most that many delivered again after a crash), and a partition whose waiting records reach
 * {@code bufferPerPartition} is paused at the broker rather than read further — a backlog stays in
 * Kafka, not in memory, and the function is never flooded into 503s.
 */
public final class KafkaDelivery implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KafkaDelivery.class.getName());
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int FETCH_MAX_BYTES = 8 << 20;
  private static final int SESSION_TIMEOUT_MS = 10_000;
  private static final int DEAD_LETTER_HEADROOM = 64 << 10;

  /** Counts since start, for metrics and tests. */
  public static final class Counts {
    public final AtomicLong delivered = new AtomicLong();
    public final AtomicLong retried = new AtomicLong();
    public final AtomicLong deadLettered = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
    public final AtomicLong committed = new AtomicLong();

    /** The last record given up on and why, for the Trigger's Events. */
    public final AtomicReference<String> lastGivenUp = new AtomicReference<>();
  }

  /** One partition's records: waiting to go, and the commit point. Consumer thread only. */
  private static final class Lane {
    final TopicPartition partition;
    final ArrayDeque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    final PartitionProgress progress = new PartitionProgress();
    int inFlight;
    boolean paused;
    boolean revoked;

    Lane(TopicPartition partition) {
      this.partition = partition;
    }
  }

  private final KafkaSource source;
  private final EventSender sender;
  private final DeliveryObserver observer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final ScheduledExecutorService timers;
  private final ConcurrentLinkedQueue<Runnable> handBack = new ConcurrentLinkedQueue<>();
  private final Map<TopicPartition, Lane> lanes = new LinkedHashMap<>();
  private final Counts counts = new Counts();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile KafkaException failure;
  private volatile boolean polling;
  private long lastCommit;

  private KafkaDelivery(KafkaSource source, EventSender sender, DeliveryObserver observer) {
    this.source = source;
    this.sender = sender;
    this.observer = observer;
    Map<String, Object> consumerConfig = new HashMap<>(source.clientProperties());
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, source.groupId());
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A Trigger never creates a topic (with the broker's default partitions): a missing one is
    // reported as TopicNotFound, and consumed once someone makes it.
    consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumerConfig.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, source.fromEarliest() ? "earliest" : "latest");
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, source.bufferPerPartition());
    // A dispatcher that crashed holds its partitions until its session expires: 10 s rather than
    // the client's 45 s, so a new leader consumes soon after it leads (heartbeats have their own
    // thread).
    consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 3);
    // One fetch brings at most this much (but always one whole batch), not the client's 50 MiB.
    consumerConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
    consumerConfig.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        "kinetic-dispatcher-" + source.trigger().namespace() + "-" + source.trigger().name());
    KafkaClientLogs.warningsAndUp();
    this.consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    if (source.deadLetterTopic().isPresent()) {
      Map<String, Object> producerConfig = new HashMap<>(source.clientProperties());
      producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
      producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
      // Not idempotent, one request at a time: the idempotent producer of Kafka 4.4 was seen to
      // wedge a partition in the tests (OutOfOrderSequenceException, batches expiring unsent). A
      // dead letter written twice after a retry is acceptable; one never written is not.
      producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
      producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
      // Room for one record of maxRecordBytes and its headers, and no more: the memory a Trigger's
      // dead letters may take, whatever the producer's 32 MiB default.
      int request = source.maxRecordBytes() + DEAD_LETTER_HEADROOM;
      producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, request);
      producerConfig.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) Math.max(request, 1 << 20));
      this.deadLetters =
          new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    } else {
      this.deadLetters = null;
    }
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kinetic-kafka-retries");
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::run, "kinetic-kafka-" + source.trigger().name());
  }

  /**
   * Starts consuming on a thread of its own.
   *
   * @throws KafkaException when the clients cannot be made (a bootstrap address that does not
   *     resolve, for one)
   */
  public static KafkaDelivery start(
      KafkaSource source, EventSender sender, DeliveryObserver observer) {
    KafkaDelivery delivery = new KafkaDelivery(source, sender, observer);
    delivery.thread.start();
    return delivery;
  }

  public static KafkaDelivery start(KafkaSource source, EventSender sender) {
    return start(source, sender, DeliveryObserver.NONE);
  }

  public Counts counts() {
    return counts;
  }

  /** Why the consumer stopped by itself (refused credentials, for one), if it did. */
  public Optional<KafkaException> failure() {
    return Optional.ofNullable(failure);
  }

  private void run() {
    consumer.subscribe(source.topics(), new Rebalance());
    try {
      while (!stopping) {
        for (Runnable r; (r = handBack.poll()) != null; ) {
          r.run();
        }
        dispatch();
        pauseOrResume();
        for (ConsumerRecord<byte[], byte[]> record : poll()) {
          Lane lane = lanes.get(new TopicPartition(record.topic(), record.partition()));
          if (lane != null) {
            lane.waiting.add(record);
          }
        }
        dispatch();
        // At the bound nothing more goes until a commit: so commit at half of it rather than at
        // the interval, while the other half is still being delivered, and the bound on duplicates
        // does not stall the stream.
        if (System.nanoTime() - lastCommit > source.commitInterval().toNanos()
            || ahead() >= Math.max(1, source.maxInFlight() / 2)) {
          commit(lanes.values());
        }
      }
    } catch (KafkaException e) {
      failure = e;
      LOG.log(Level.SEVERE, source.trigger() + ": consumer stopped", e);
    } catch (IllegalStateException e) {
      failure = new KafkaException(e);
      LOG.log(Level.SEVERE, source.trigger() + ": consumer stopped", e);
    } finally {
      try {
        commit(lanes.values());
      } catch (KafkaException e) {
        LOG.warning(source.trigger() + ": last commit failed: " + e.getMessage());
      }
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Sends what may go now, in offset order per partition, while fewer than {@code maxInFlight}
   * records are past their partitions' last commits (in flight, or finished and not committed yet):
   * that bounds both the load on the function and what a crash would deliver again.
   */
  private void dispatch() {
    int ahead = ahead();
    boolean sent = true;
    while (sent && ahead < source.maxInFlight()) {
      sent = false;
      for (Lane lane : lanes.values()) {
        if (ahead >= source.maxInFlight()) {
          return;
        }
        if (lane.waiting.isEmpty() || (source.ordered() && lane.inFlight > 0)) {
          continue;
        }
        ConsumerRecord<byte[], byte[]> record = lane.waiting.poll();
        lane.progress.taken(record.offset());
        lane.inFlight++;
        ahead++;
        CloudEvent event = KafkaEvents.of(source.trigger(), record);
        if (record.serializedValueSize() > source.maxRecordBytes()) {
          giveUp(
              lane,
              record,
              event,
              0,
              "value of "
                  + record.serializedValueSize()
                  + " bytes is above maxRecordBytes "
                  + source.maxRecordBytes());
        } else {
          attempt(lane, record, event, 1);
        }
        sent = true;
      }
    }
  }

  /** Records past their partitions' last commits: what a crash now would deliver again. */
  private int ahead() {
    int ahead = 0;
    for (Lane lane : lanes.values()) {
      ahead += lane.progress.ahead();
    }
    return ahead;
  }

  /**
   * A poll that an answer may cut short ({@link #hand}): then it returns nothing. Work handed in
   * before it starts skips it.
   */
  private Iterable<ConsumerRecord<byte[], byte[]>> poll() {
    polling = true;
    try {
      if (!handBack.isEmpty()) {
        return List.of();
      }
      return consumer.poll(POLL);
    } catch (WakeupException e) {
      return List.of();
    } finally {
      polling = false;
    }
  }

  /** A partition with a full buffer stops being fetched; it resumes once half has gone. */
  private void pauseOrResume() {
    for (Lane lane : lanes.values()) {
      if (!lane.paused && lane.waiting.size() >= source.bufferPerPartition()) {
        consumer.pause(List.of(lane.partition));
        lane.paused = true;
      } else if (lane.paused && lane.waiting.size() <= source.bufferPerPartition() / 2) {
        consumer.resume(List.of(lane.partition));
        lane.paused = false;
      }
    }
  }

  private void attempt(Lane lane, ConsumerRecord<byte[], byte[]> record, CloudEvent event, int n) {
    CompletableFuture<DeliveryPolicy.Outcome> sent =
        sender.attempt(
            source.trigger().namespace(),
            source.function(),
            event,
            source.delivery().attemptTimeout());
    sent.thenAccept(outcome -> hand(() -> answered(lane, record, event, n, outcome)));
  }

  private void answered(
      Lane lane,
      ConsumerRecord<byte[], byte[]> record,
      CloudEvent event,
      int n,
      DeliveryPolicy.Outcome outcome) {
    DeliveryPolicy.Verdict verdict = source.delivery().after(n, outcome, Math::random);
    if (verdict instanceof DeliveryPolicy.Verdict.Retry retry && !stopping) {
      counts.retried.incrementAndGet();
      observer.retried();
      timers.schedule(
          () -> hand(() -> attempt(lane, record, event, n + 1)),
          retry.after().toMillis(),
          TimeUnit.MILLISECONDS);
      return;
    }
    if (verdict instanceof DeliveryPolicy.Verdict.Delivered) {
      counts.delivered.incrementAndGet();
      if (record.timestamp() >= 0) {
        observer.delivered(
            Duration.ofMillis(Math.max(0, System.currentTimeMillis() - record.timestamp())));
      }
      finish(lane, record);
      return;
    }
    String why =
        verdict instanceof DeliveryPolicy.Verdict.GiveUp g ? g.why() : "stopping while retrying";
    if (stopping) {
      // Not finished: the commit stays before it, and the next consumer delivers it again.
      release(lane);
      return;
    }
    giveUp(lane, record, event, n, why);
  }

  /**
   * Written to the dead-letter topic with the coordinates and the reason, then finished; or, with
   * no dead-letter topic, counted failed and finished. A dead-letter write that fails leaves the
   * record unfinished (its offset is not committed) and is tried again after the back-off.
   */
  private void giveUp(
      Lane lane,
      ConsumerRecord<byte[], byte[]> record,
      CloudEvent event,
      int attempts,
      String why) {
    LOG.warning(() -> source.trigger() + ": event " + event.getId() + " failed: " + why);
    counts.lastGivenUp.set("event " + event.getId() + ": " + why);
    if (source.deadLetterFunction().isPresent()) {
      toDeadLetterFunction(lane, record, deadLetter(record, event, why), 1);
      return;
    }
    if (deadLetters == null) {
      counts.failed.incrementAndGet();
      observer.failed(false);
      finish(lane, record);
      return;
    }
    // A record too large to deliver is not written again whole: its coordinates say where it is.
    boolean tooLarge = record.serializedValueSize() > source.maxRecordBytes();
    ProducerRecord<byte[], byte[]> dead =
        new ProducerRecord<>(
            source.deadLetterTopic().orElseThrow(),
            null,
            record.key(),
            tooLarge ? null : record.value());
    record.headers().forEach(h -> dead.headers().add(h));
    if (tooLarge) {
      dead.headers()
          .add("kinetic-value-bytes", bytes(Integer.toString(record.serializedValueSize())));
    }
    dead.headers()
        .add("kinetic-error", bytes(why))
        .add("kinetic-attempts", bytes(Integer.toString(attempts)))
        .add("kinetic-topic", bytes(record.topic()))
        .add("kinetic-partition", bytes(Integer.toString(record.partition())))
        .add("kinetic-offset", bytes(Long.toString(record.offset())))
        .add("kinetic-event-id", bytes(event.getId()));
    deadLetters.send(
        dead,
        (metadata, failure) ->
            hand(
                () -> {
                  if (failure == null) {
                    counts.deadLettered.incrementAndGet();
                    observer.failed(true);
                    finish(lane, record);
                  } else {
                    LOG.warning(
                        source.trigger()
                            + ": dead-letter write of "
                            + event.getId()
                            + " failed, retrying: "
                            + failure.getMessage());
                    timers.schedule(
                        () -> hand(() -> giveUp(lane, record, event, attempts, why)),
                        source.delivery().minBackoff().toMillis(),
                        TimeUnit.MILLISECONDS);
                  }
                }));
  }

  /**
   * The record's event for the dead-letter Function, with why; a record too large to deliver goes
   * without its value, and {@code kineticvaluebytes} says its size (its coordinates are in the id).
   */
  private CloudEvent deadLetter(
      ConsumerRecord<byte[], byte[]> record, CloudEvent event, String why) {
    CloudEvent dead = DeadLetters.event(event, source.function(), why);
    if (record.serializedValueSize() <= source.maxRecordBytes()) {
      return dead;
    }
    return CloudEventBuilder.v1(dead)
        .withoutData()
        .withoutDataContentType()
        .withExtension("kineticvaluebytes", record.serializedValueSize())
        .build();
  }

  /**
   * Sent to the dead-letter Function with the Trigger's retries, then finished: taken, it counts
   * dead-lettered; refused after the retries, failed (as without a dead letter). While stopping it
   * stays unfinished, so the next consumer delivers the record again.
   */
  private void toDeadLetterFunction(
      Lane lane, ConsumerRecord<byte[], byte[]> record, CloudEvent dead, int n) {
    sender
        .attempt(
            source.trigger().namespace(),
            source.deadLetterFunction().orElseThrow(),
            dead,
            source.delivery().attemptTimeout())
        .thenAccept(outcome -> hand(() -> deadLetterAnswered(lane, record, dead, n, outcome)));
  }

  private void deadLetterAnswered(
      Lane lane,
      ConsumerRecord<byte[], byte[]> record,
      CloudEvent dead,
      int n,
      DeliveryPolicy.Outcome outcome) {
    DeliveryPolicy.Verdict verdict = source.delivery().after(n, outcome, Math::random);
    if (verdict instanceof DeliveryPolicy.Verdict.Delivered) {
      counts.deadLettered.incrementAndGet();
      observer.failed(true);
      finish(lane, record);
    } else if (stopping) {
      release(lane);
    } else if (verdict instanceof DeliveryPolicy.Verdict.Retry retry) {
      counts.retried.incrementAndGet();
      observer.retried();
      timers.schedule(
          () -> hand(() -> toDeadLetterFunction(lane, record, dead, n + 1)),
          retry.after().toMillis(),
          TimeUnit.MILLISECONDS);
    } else {
      String why = ((DeliveryPolicy.Verdict.GiveUp) verdict).why();
      LOG.warning(
          () ->
              source.trigger()
                  + ": dead letter "
                  + dead.getId()
                  + " to "
                  + source.deadLetterFunction().orElseThrow()
                  + " failed: "
                  + why);
      counts.lastGivenUp.set(
          "dead letter "
              + dead.getId()
              + " to function "
              + source.deadLetterFunction().orElseThrow()
              + ": "
              + why);
      counts.failed.incrementAndGet();
      observer.failed(false);
      finish(lane, record);
    }
  }

  /**
   * Work for the consumer's thread, from an answer or a timer: queued, and the poll woken so it is
   * done now rather than when the poll would have timed out.
   */
  private void hand(Runnable work) {
    handBack.add(work);
    // Only a poll is woken: a wake-up is kept until the consumer's next blocking call, and under a
    // stream of answers one would otherwise hit nearly every commit.
    if (polling) {
      consumer.wakeup();
    }
  }

  private void finish(Lane lane, ConsumerRecord<byte[], byte[]> record) {
    lane.progress.finished(record.offset());
    release(lane);
  }

  private void release(Lane lane) {
    lane.inFlight--;
  }

  private void commit(Collection<Lane> which) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Lane lane : which) {
      lane.progress
          .toCommit()
          .ifPresent(o -> offsets.put(lane.partition, new OffsetAndMetadata(o)));
    }
    lastCommit = System.nanoTime();
    if (offsets.isEmpty()) {
      return;
    }
    commitSync(offsets);
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      Lane lane = lanes.get(e.getKey());
      if (lane != null) {
        lane.progress.committed(e.getValue().offset());
      }
    }
    counts.committed.addAndGet(offsets.size());
  }

  /**
   * A wake-up meant for the poll ({@link #hand}) may still hit the commit, when the poll returned
   * just as it was woken: commit again.
   */
  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (int tries = 1; ; tries++) {
      try {
        consumer.commitSync(offsets);
        return;
      } catch (WakeupException e) {
        if (tries >= 10) {
          throw e;
        }
      }
    }
  }

  /** Partitions come and go as group members do; what was finished is committed on the way out. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      List<Lane> leaving = new ArrayList<>();
      for (TopicPartition p : partitions) {
        Lane lane = lanes.get(p);
        if (lane != null) {
          leaving.add(lane);
        }
      }
      try {
        commit(leaving);
      } catch (KafkaException e) {
        LOG.warning(source.trigger() + ": commit on revocation failed: " + e.getMessage());
      }
      for (Lane lane : leaving) {
        // Records in flight finish, but their partition is another member's now.
        lane.revoked = true;
        lanes.remove(lane.partition);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition p : partitions) {
        lanes.computeIfAbsent(p, Lane::new);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Stops consuming: nothing new is sent, what was finished is committed, and records still in
   * flight stay uncommitted, so the next consumer of the group delivers them again.
   */
  @Override
  public void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    if (deadLetters != null) {
      deadLetters.close(Duration.ofSeconds(5));
    }
  }
}
