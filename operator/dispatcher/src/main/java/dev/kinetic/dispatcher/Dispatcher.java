package dev.kinetic.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.TriggerStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs each Trigger by the runner its spec asks for: a schedule ({@link ScheduledTrigger}), a
 * stream such as Kafka ({@link StreamedTrigger}), or nothing while suspended ({@link
 * SuspendedTrigger}); replaces it when the spec changes, carrying its counts and what it handled.
 * One thread owns every Trigger's state and timers; sending is asynchronous, and each answer comes
 * back to that thread, so nothing here needs a lock.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Told of changes, on the dispatcher's thread. The cluster runtime writes status from it. */
  public interface Listener {
    default void stateChanged(TriggerRef ref, TriggerState state) {}

    /** An event was given up on: the cluster runtime emits a Kubernetes Event. */
    default void gaveUp(TriggerRef ref, String function, String eventId, String why) {}

    /**
     * A stream's records were given up on (failed or dead-lettered): told at most once per {@link
     * StreamedTrigger#GIVEN_UP_EVERY}, the count since the last time and the last one's reason,
     * since a stream may give up on thousands a minute where a schedule gives up on one event.
     */
    default void gaveUpRecords(TriggerRef ref, String summary) {}
  }

  /**
   * @param maxInFlightPerTrigger events of one Trigger being delivered at once, at most; a fire
   *     beyond it is skipped as if its policy were Forbid (a bound, so a function that never
   *     answers cannot make the dispatcher hold ever more events)
   */
  public record Settings(int maxInFlightPerTrigger) {
    public static final Settings DEFAULTS = new Settings(100);
  }

  /** How often streams' progress is read into their states (and from there into the status). */
  static final Duration STREAM_TICK = Duration.ofSeconds(1);

  /** How long closing waits for streams to commit what they delivered. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

  private final ScheduledExecutorService loop;
  private final Clock clock;
  private final FunctionDirectory functions;
  private final Listener listener;
  private final DispatcherMetrics metrics;
  private final Settings settings;
  private final EventStreams streams;
  private final ScheduledTrigger.Scheduling scheduling;
  private final Map<TriggerRef, TriggerRunner> triggers = new HashMap<>();

  /** The spec each runner was made for: an equal one goes on with the same runner. */
  private final Map<TriggerRef, JsonNode> specs = new HashMap<>();

  private final Map<TriggerRef, TriggerState> states = new ConcurrentHashMap<>();

  public Dispatcher(
      Clock clock,
      EventSender sender,
      FunctionDirectory functions,
      Listener listener,
      MeterRegistry registry,
      DoubleSupplier jitter,
      Settings settings,
      EventStreams streams) {
    this.clock = clock;
    this.streams = streams;
    this.functions = functions;
    this.listener = listener;
    this.metrics = new DispatcherMetrics(registry);
    this.settings = settings;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kinetic-dispatcher");
              t.setDaemon(true);
              return t;
            });
    this.scheduling =
        new ScheduledTrigger.Scheduling(
            loop,
            clock,
            sender,
            functions,
            listener,
            metrics,
            jitter,
            settings.maxInFlightPerTrigger());
    loop.scheduleAtFixedRate(
        logged(this::tickStreams),
        STREAM_TICK.toMillis(),
        STREAM_TICK.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void tickStreams() {
    for (TriggerRunner t : triggers.values()) {
      if (t instanceof StreamedTrigger s) {
        s.refresh();
      }
    }
  }

  /**
   * Makes the scheduled Triggers exactly {@code wanted}: new ones start, changed ones restart
   * without firing again what was already handled, removed ones stop (an event being delivered
   * finishes). Call it again whenever Triggers or Functions change: a Trigger waiting for its
   * Function learns here that it exists. After {@link #close()} it does nothing: a change seen
   * while stopping (an informer's event, local mode's reload) starts no Trigger.
   */
  public void apply(Collection<Trigger> wanted) {
    Map<TriggerRef, Trigger> byRef = new HashMap<>();
    for (Trigger t : wanted) {
      byRef.put(ref(t), t);
    }
    try {
      loop.execute(logged(() -> reconcile(byRef)));
    } catch (RejectedExecutionException closed) {
      LOG.fine("closed: " + byRef.size() + " Triggers not applied");
    }
  }

  /** Each Trigger's state, as last published. */
  public Map<TriggerRef, TriggerState> states() {
    return Map.copyOf(states);
  }

  private void reconcile(Map<TriggerRef, Trigger> wanted) {
    for (TriggerRef gone :
        triggers.keySet().stream().filter(r -> !wanted.containsKey(r)).toList()) {
      triggers.remove(gone).stop();
      specs.remove(gone);
      states.remove(gone);
      metrics.forget(gone);
    }
    for (Map.Entry<TriggerRef, Trigger> e : wanted.entrySet()) {
      TriggerRunner current = triggers.get(e.getKey());
      JsonNode spec = JSON.valueToTree(e.getValue().getSpec());
      if (current != null && spec.equals(specs.get(e.getKey()))) {
        current.refresh();
        continue;
      }
      if (current != null) {
        current.stop();
      }
      TriggerRunner next = runner(e.getKey(), e.getValue(), current);
      triggers.put(e.getKey(), next);
      specs.put(e.getKey(), spec);
      next.start();
    }
  }

  private TriggerRunner runner(TriggerRef ref, Trigger trigger, TriggerRunner previous) {
    boolean scheduled = trigger.getSpec().getSchedule() != null;
    if (trigger.getSpec().suspended()) {
      if (!scheduled) {
        // The lag is not measured while no consumer runs: -1, as before a first measure.
        metrics.lag(ref, -1);
      }
      return new SuspendedTrigger(
          ref,
          trigger,
          initialState(
              trigger,
              previous,
              scheduled ? Optional.of(handledUpTo(trigger, previous)) : Optional.empty()),
          functions,
          next -> publish(ref, next));
    }
    if (scheduled) {
      return new ScheduledTrigger(
          ref,
          trigger,
          initialState(trigger, previous, Optional.of(handledUpTo(trigger, previous))),
          scheduling,
          next -> publish(ref, next),
          (from, finished) -> {
            TriggerRunner current = triggers.get(ref);
            if (current != null && current != from) {
              current.countLate(finished);
            }
          });
    }
    return new StreamedTrigger(
        ref,
        trigger,
        initialState(trigger, previous, Optional.empty()),
        functions,
        streams,
        settings.maxInFlightPerTrigger(),
        metrics,
        clock,
        next -> publish(ref, next),
        summary -> listener.gaveUpRecords(ref, summary));
  }

  /**
   * Counts go on from the previous version, else from the status (another replica's, or this one's
   * before a restart), so a new leader never writes smaller numbers.
   */
  private static TriggerState initialState(
      Trigger trigger, TriggerRunner previous, Optional<Instant> handledUpTo) {
    long generation = Optional.ofNullable(trigger.getMetadata().getGeneration()).orElse(0L);
    if (previous != null) {
      return TriggerState.pending(generation, handledUpTo, previous.state().outcomes());
    }
    Optional<TriggerStatus> status = Optional.ofNullable(trigger.getStatus());
    return TriggerState.pending(
        generation,
        handledUpTo,
        new TriggerState.Outcomes(
            new TriggerCounts(
                0,
                count(status.map(TriggerStatus::getDelivered)),
                count(status.map(TriggerStatus::getFailed)),
                count(status.map(TriggerStatus::getSkipped)),
                count(status.map(TriggerStatus::getDeadLettered))),
            status.map(TriggerStatus::getLastSuccessfulTime).flatMap(Dispatcher::instant),
            status
                .map(TriggerStatus::getLastFailure)
                .flatMap(
                    f ->
                        instant(f.getTime())
                            .map(
                                time ->
                                    new TriggerState.Failure(
                                        time, f.getMessage() == null ? "" : f.getMessage())))));
  }

  /** A time the status holds, or none if it cannot be read (a record is not worth failing for). */
  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A stream's state, from its runner (on this thread). */
  private void publish(TriggerRef ref, TriggerState next) {
    states.put(ref, next);
    listener.stateChanged(ref, next);
  }

  private static long count(Optional<Long> value) {
    return value.orElse(0L);
  }

  /**
   * A task whose failure is logged: the executor would keep it in a future nobody reads, and the
   * Trigger would stop firing without a word.
   */
  static Runnable logged(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "dispatcher task failed", e);
      }
    };
  }

  static TriggerRef ref(Trigger t) {
    String namespace = Optional.ofNullable(t.getMetadata().getNamespace()).orElse("default");
    String uid =
        Optional.ofNullable(t.getMetadata().getUid())
            .orElse("local:" + namespace + "/" + t.getMetadata().getName());
    return new TriggerRef(namespace, t.getMetadata().getName(), uid);
  }

  /**
   * Where a schedule's runner starts: after what the previous version of the Trigger handled (an
   * edit, a suspension or its end must not fire a time again), else after its {@link #baseline}.
   */
  private Instant handledUpTo(Trigger trigger, TriggerRunner previous) {
    Instant baseline = baseline(trigger);
    return Optional.ofNullable(previous)
        .flatMap(p -> p.state().handledUpTo())
        .filter(h -> h.isAfter(baseline))
        .orElse(baseline);
  }

  /**
   * Where a new Trigger's schedule starts: what its status says was last fired (a restarted
   * dispatcher neither repeats it nor skips the next), else its creation, else now.
   */
  private Instant baseline(Trigger trigger) {
    // A value that cannot be read is no record: the next is taken.
    return Optional.ofNullable(trigger.getStatus())
        .map(TriggerStatus::getLastFireTime)
        .flatMap(Dispatcher::instant)
        .or(
            () ->
                Optional.ofNullable(trigger.getMetadata().getCreationTimestamp())
                    .flatMap(Dispatcher::instant))
        .orElseGet(clock::instant);
  }

  /**
   * Stops every Trigger and waits, within a bound, for streams to commit what they delivered: the
   * next leader starts from there.
   */
  @Override
  public void close() {
    try {
      CompletableFuture.supplyAsync(
              () ->
                  CompletableFuture.allOf(
                      triggers.values().stream()
                          .map(TriggerRunner::stop)
                          .toArray(CompletableFuture[]::new)),
              loop)
          .thenCompose(all -> all)
          .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warning("streams did not all stop within " + CLOSE_WAIT + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RejectedExecutionException e) {
      // Closed already.
    }
    loop.shutdownNow();
  }
}
