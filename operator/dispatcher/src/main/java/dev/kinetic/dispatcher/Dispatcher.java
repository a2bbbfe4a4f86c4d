package dev.kinetic.dispatcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.ScheduleSpec;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.TriggerStatus;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs each Trigger: fires its schedule and delivers the events, or keeps its stream (Kafka)
 * consuming. One thread owns every Trigger's state and timers; sending is asynchronous, and each
 * answer comes back to that thread, so nothing here needs a lock.
 *
 * <p>The decisions are elsewhere and pure: when to fire in {@link FirePlanner}, whether to retry in
 * {@link DeliveryPolicy}. This class only keeps time and counts.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Told of changes, on the dispatcher's thread. The cluster runtime writes status from it. */
  public interface Listener {
    default void stateChanged(TriggerRef ref, TriggerState state) {}

    /** An event was given up on: the cluster runtime emits a Kubernetes Event. */
    default void gaveUp(TriggerRef ref, String function, String eventId, String why) {}
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
  private final EventSender sender;
  private final FunctionDirectory functions;
  private final Listener listener;
  private final DispatcherMetrics metrics;
  private final DoubleSupplier jitter;
  private final Settings settings;
  private final EventStreams streams;
  private final Map<TriggerRef, TriggerRunner> triggers = new HashMap<>();
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
    this.sender = sender;
    this.functions = functions;
    this.listener = listener;
    this.metrics = new DispatcherMetrics(registry);
    this.jitter = jitter;
    this.settings = settings;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kinetic-dispatcher");
              t.setDaemon(true);
              return t;
            });
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
   * Function learns here that it exists.
   */
  public void apply(Collection<Trigger> wanted) {
    Map<TriggerRef, Trigger> byRef = new HashMap<>();
    for (Trigger t : wanted) {
      byRef.put(ref(t), t);
    }
    loop.execute(logged(() -> reconcile(byRef)));
  }

  /** Each Trigger's state, as last published. */
  public Map<TriggerRef, TriggerState> states() {
    return Map.copyOf(states);
  }

  private void reconcile(Map<TriggerRef, Trigger> wanted) {
    for (TriggerRef gone :
        triggers.keySet().stream().filter(r -> !wanted.containsKey(r)).toList()) {
      triggers.remove(gone).stop();
      states.remove(gone);
      metrics.forget(gone);
    }
    for (Map.Entry<TriggerRef, Trigger> e : wanted.entrySet()) {
      TriggerRunner current = triggers.get(e.getKey());
      if (current != null && current.sameSpec(e.getValue())) {
        current.refresh();
        continue;
      }
      if (current != null) {
        current.stop();
      }
      TriggerRunner next = runner(e.getKey(), e.getValue(), current);
      triggers.put(e.getKey(), next);
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
      return new Scheduled(ref, trigger, previous);
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
        next -> publish(ref, next));
  }

  /**
   * Counts go on from the previous version, else from the status (another replica's, or this one's
   * before a restart), so a new leader never writes smaller numbers.
   */
  private static TriggerState initialState(
      Trigger trigger, TriggerRunner previous, Optional<Instant> handledUpTo) {
    long generation = Optional.ofNullable(trigger.getMetadata().getGeneration()).orElse(0L);
    if (previous != null) {
      TriggerState p = previous.state();
      return TriggerState.pending(
          generation,
          handledUpTo,
          p.fired(),
          p.delivered(),
          p.failed(),
          p.skipped(),
          p.deadLettered());
    }
    Optional<TriggerStatus> status = Optional.ofNullable(trigger.getStatus());
    return TriggerState.pending(
        generation,
        handledUpTo,
        0,
        count(status.map(TriggerStatus::getDelivered)),
        count(status.map(TriggerStatus::getFailed)),
        count(status.map(TriggerStatus::getSkipped)),
        count(status.map(TriggerStatus::getDeadLettered)));
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
  private static Runnable logged(Runnable task) {
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

  /** One Trigger's schedule, its timer and its counts. Used on the dispatcher's thread only. */
  private final class Scheduled implements TriggerRunner {
    private final TriggerRef ref;
    private final Trigger trigger;
    private final JsonNode spec;
    private final ScheduleSpec schedule;
    private CronSchedule cron;
    private Instant handledUpTo;
    private ScheduledFuture<?> timer;
    private int inFlight;
    private boolean stopped;
    private TriggerState state;

    Scheduled(TriggerRef ref, Trigger trigger, TriggerRunner previous) {
      this.ref = ref;
      this.trigger = trigger;
      this.spec = JSON.valueToTree(trigger.getSpec());
      this.schedule = trigger.getSpec().getSchedule();
      this.handledUpTo = handledUpTo(trigger, previous);
      this.state = initialState(trigger, previous, Optional.of(handledUpTo));
    }

    @Override
    public TriggerState state() {
      return state;
    }

    @Override
    public void refresh() {
      checkFunction();
    }

    @Override
    public boolean sameSpec(Trigger other) {
      return spec.equals(JSON.valueToTree(other.getSpec()));
    }

    @Override
    public void start() {
      try {
        cron = CronSchedule.parse(schedule.getCron(), schedule.getTimeZone());
      } catch (TriggerProblem p) {
        publish(state.withCondition(false, p.reason(), p.getMessage()));
        return;
      }
      wake();
    }

    @Override
    public CompletableFuture<Void> stop() {
      stopped = true;
      if (timer != null) {
        timer.cancel(false);
      }
      return CompletableFuture.completedFuture(null);
    }

    /** The Ready condition as the Function's existence makes it; true when the Function exists. */
    boolean checkFunction() {
      if (cron == null) {
        return false;
      }
      boolean exists = functions.find(ref.namespace(), function()).isPresent();
      Optional<String> deadLetterMissing =
          deadLetterFunction().filter(f -> functions.find(ref.namespace(), f).isEmpty());
      TriggerState now =
          exists && deadLetterMissing.isPresent()
              ? state.withCondition(
                  false,
                  TriggerState.DEAD_LETTER_FUNCTION_NOT_FOUND,
                  TriggerState.deadLetterMissing(deadLetterMissing.get(), ref.namespace()))
              : exists
                  ? state.withCondition(true, TriggerState.SCHEDULED, "fires at " + cron)
                  : state.withCondition(
                      false,
                      TriggerState.FUNCTION_NOT_FOUND,
                      "no Function "
                          + function()
                          + " in namespace "
                          + ref.namespace()
                          + ": scheduled times pass unfired until it exists");
      if (!now.equals(state)) {
        publish(now);
      }
      return exists;
    }

    void wake() {
      if (stopped) {
        return;
      }
      boolean exists = checkFunction();
      FirePlanner.Plan plan =
          FirePlanner.plan(
              cron,
              handledUpTo,
              clock.instant(),
              Duration.ofSeconds(
                  Optional.ofNullable(schedule.getStartingDeadlineSeconds())
                      .orElse(ScheduleSpec.DEFAULT_STARTING_DEADLINE_SECONDS)),
              ScheduleSpec.FORBID.equals(schedule.getConcurrencyPolicy()),
              inFlight > 0);
      handledUpTo = plan.handledUpTo();
      TriggerState next = state.withTimes(Optional.of(handledUpTo), plan.next());
      switch (plan.action()) {
        case FIRE -> {
          if (!exists) {
            next = skip(next, plan, "no such function");
          } else if (inFlight >= settings.maxInFlightPerTrigger()) {
            next = skip(next, plan, inFlight + " events still being delivered");
          } else {
            next = next.counting(1, 0, 0, 0);
            fire(plan.scheduled().orElseThrow());
          }
        }
        case SKIP_LATE -> next = skip(next, plan, "found after its starting deadline");
        case SKIP_STILL_RUNNING -> next = skip(next, plan, "the previous fire is still running");
        case WAIT -> {}
      }
      publish(next);
      plan.next().ifPresent(this::arm);
    }

    private TriggerState skip(TriggerState next, FirePlanner.Plan plan, String why) {
      LOG.info(() -> ref + ": skipped " + plan.scheduled().orElseThrow() + ": " + why);
      metrics.skipped(ref);
      return next.counting(0, 0, 0, 1);
    }

    private void arm(Instant at) {
      long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
      timer = loop.schedule(logged(this::wake), delay, TimeUnit.MILLISECONDS);
    }

    private void fire(Instant scheduled) {
      CloudEvent event = ScheduleEvents.of(ref, scheduled, payload());
      inFlight++;
      metrics.fired(ref);
      attempt(new Send(event, scheduled, function(), policyFor(function()), false), 1);
    }

    /** One event on its way to a Function: the Trigger's, or its dead-letter Function. */
    private record Send(
        CloudEvent event,
        Instant scheduled,
        String function,
        DeliveryPolicy policy,
        boolean deadLetter) {}

    private DeliveryPolicy policyFor(String function) {
      int timeout =
          functions
              .find(ref.namespace(), function)
              .map(FunctionDirectory.Target::timeoutSeconds)
              .orElse(0);
      return DeliveryPolicy.of(trigger.getSpec().getDelivery(), timeout);
    }

    private void attempt(Send send, int n) {
      CompletableFuture<DeliveryPolicy.Outcome> sent =
          sender.attempt(
              ref.namespace(), send.function(), send.event(), send.policy().attemptTimeout());
      sent.thenAcceptAsync(outcome -> logged(() -> answered(send, n, outcome)).run(), loop);
    }

    private void answered(Send send, int n, DeliveryPolicy.Outcome outcome) {
      DeliveryPolicy.Verdict verdict = send.policy().after(n, outcome, jitter);
      if (verdict instanceof DeliveryPolicy.Verdict.Retry retry && !stopped) {
        metrics.retried(ref);
        loop.schedule(
            logged(() -> attempt(send, n + 1)), retry.after().toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      String id = send.event().getId();
      if (verdict instanceof DeliveryPolicy.Verdict.Delivered) {
        inFlight--;
        if (send.deadLetter()) {
          metrics.deadLettered(ref);
          count(0, 0, 1);
        } else {
          metrics.delivered(ref, Duration.between(send.scheduled(), clock.instant()));
          count(1, 0, 0);
        }
        return;
      }
      String why =
          verdict instanceof DeliveryPolicy.Verdict.GiveUp g
              ? g.why()
              : "the Trigger changed or was deleted while retrying";
      LOG.warning(() -> ref + ": event " + id + " to " + send.function() + " failed: " + why);
      listener.gaveUp(ref, send.function(), id, (send.deadLetter() ? "dead letter: " : "") + why);
      if (send.deadLetter()) {
        // Counted failed already, when the Trigger's Function was given up on.
        inFlight--;
        return;
      }
      metrics.failed(ref);
      count(0, 1, 0);
      Optional<String> deadLetterFunction = deadLetterFunction();
      if (deadLetterFunction.isEmpty() || stopped) {
        inFlight--;
        return;
      }
      String to = deadLetterFunction.get();
      if (functions.find(ref.namespace(), to).isEmpty()) {
        inFlight--;
        listener.gaveUp(ref, to, id, "dead letter: no Function " + to + " in the namespace");
        return;
      }
      // Still in flight: under Forbid the next fire waits for the dead letter too.
      CloudEvent dead = ScheduleEvents.deadLetter(send.event(), function(), why);
      attempt(new Send(dead, send.scheduled(), to, policyFor(to), true), 1);
    }

    private void count(long delivered, long failed, long deadLettered) {
      if (!stopped) {
        publish(state.counting(0, delivered, failed, 0, deadLettered));
        return;
      }
      TriggerRunner current = triggers.get(ref);
      if (current != null && current != this) {
        current.countLate(delivered, failed, deadLettered);
      }
    }

    @Override
    public void countLate(long delivered, long failed, long deadLettered) {
      publish(state.counting(0, delivered, failed, 0, deadLettered));
    }

    private Optional<String> deadLetterFunction() {
      return Optional.ofNullable(trigger.getSpec().getDelivery())
          .map(DeliverySpec::getDeadLetterFunction);
    }

    private String function() {
      return trigger.getSpec().getFunction();
    }

    private byte[] payload() {
      if (schedule.getPayload() == null || schedule.getPayload().getValue() == null) {
        return null;
      }
      try {
        return JSON.writeValueAsBytes(schedule.getPayload().getValue());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a payload read from JSON writes as JSON", e);
      }
    }

    private void publish(TriggerState next) {
      state = next;
      if (!stopped) {
        states.put(ref, next);
        listener.stateChanged(ref, next);
      }
    }
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
    Optional<String> last = Optional.ofNullable(trigger.getStatus()).map(s -> s.getLastFireTime());
    Optional<String> created = Optional.ofNullable(trigger.getMetadata().getCreationTimestamp());
    for (Optional<String> candidate : List.of(last, created)) {
      if (candidate.isPresent()) {
        try {
          return Instant.parse(candidate.get());
        } catch (DateTimeParseException e) {
          // A value we cannot read is no record: fall through to the next.
        }
      }
    }
    return clock.instant();
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
