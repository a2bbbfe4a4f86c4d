package dev.kinetic.dispatcher;

import static dev.kinetic.dispatcher.Dispatcher.logged;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.ScheduleSpec;
import dev.kinetic.api.Trigger;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.logging.Logger;

/**
 * One Trigger's schedule, its timer and its counts; the events it fires, their retries and their
 * dead letters. Used on the dispatcher's thread only.
 *
 * <p>The decisions are elsewhere and pure: when to fire in {@link FirePlanner}, whether to retry in
 * {@link DeliveryPolicy}. This class only keeps time and counts.
 */
final class ScheduledTrigger implements TriggerRunner {
  private static final Logger LOG = Logger.getLogger(ScheduledTrigger.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What every schedule shares: the dispatcher's thread and clock, where events go, meters. */
  record Scheduling(
      ScheduledExecutorService loop,
      Clock clock,
      EventSender sender,
      FunctionDirectory functions,
      Dispatcher.Listener listener,
      DispatcherMetrics metrics,
      DoubleSupplier jitter,
      int maxInFlight) {}

  /** Where counts go that this runner makes after it was replaced: to the Trigger's newest. */
  interface LateCounts {
    void count(TriggerRunner from, Finished finished);
  }

  private final TriggerRef ref;
  private final Trigger trigger;
  private final ScheduleSpec schedule;
  private CronSchedule cron;
  private Instant handledUpTo;
  private ScheduledFuture<?> timer;
  private int inFlight;
  private boolean stopped;
  private TriggerState state;
  private final Scheduling env;
  private final Consumer<TriggerState> publish;
  private final LateCounts late;

  /**
   * @param initial the counts to go on from, and the latest scheduled time already handled
   *     (present): nothing at or before it fires
   */
  ScheduledTrigger(
      TriggerRef ref,
      Trigger trigger,
      TriggerState initial,
      Scheduling env,
      Consumer<TriggerState> publish,
      LateCounts late) {
    this.ref = ref;
    this.trigger = trigger;
    this.schedule = trigger.getSpec().getSchedule();
    this.handledUpTo = initial.handledUpTo().orElseThrow();
    this.state = initial;
    this.env = env;
    this.publish = publish;
    this.late = late;
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
    boolean exists = env.functions().find(ref.namespace(), function()).isPresent();
    TriggerState now =
        !exists
            ? state.functionNotFound(
                function(), ref.namespace(), ": scheduled times pass unfired until it exists")
            : DeadLetters.missing(state, ref, trigger, env.functions())
                .orElseGet(
                    () -> state.withCondition(true, TriggerState.SCHEDULED, "fires at " + cron));
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
            env.clock().instant(),
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
        } else if (inFlight >= env.maxInFlight()) {
          next = skip(next, plan, inFlight + " events still being delivered");
        } else {
          next = next.counting(TriggerCounts.ONE_FIRED);
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
    env.metrics().skipped(ref);
    return next.counting(TriggerCounts.ONE_SKIPPED);
  }

  private void arm(Instant at) {
    long delay = Math.max(0, Duration.between(env.clock().instant(), at).toMillis());
    timer = env.loop().schedule(logged(this::wake), delay, TimeUnit.MILLISECONDS);
  }

  private void fire(Instant scheduled) {
    CloudEvent event = ScheduleEvents.of(ref, scheduled, payload());
    inFlight++;
    env.metrics().fired(ref);
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
        env.functions()
            .find(ref.namespace(), function)
            .map(FunctionDirectory.Target::timeoutSeconds)
            .orElse(0);
    return DeliveryPolicy.of(trigger.getSpec().getDelivery(), timeout);
  }

  private void attempt(Send send, int n) {
    CompletableFuture<DeliveryPolicy.Outcome> sent =
        env.sender()
            .attempt(
                ref.namespace(), send.function(), send.event(), send.policy().attemptTimeout());
    sent.thenAcceptAsync(outcome -> logged(() -> answered(send, n, outcome)).run(), env.loop());
  }

  private void answered(Send send, int n, DeliveryPolicy.Outcome outcome) {
    DeliveryPolicy.Verdict verdict = send.policy().after(n, outcome, env.jitter());
    if (verdict instanceof DeliveryPolicy.Verdict.Retry retry && !stopped) {
      env.metrics().retried(ref);
      env.loop()
          .schedule(
              logged(() -> attempt(send, n + 1)), retry.after().toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    String id = send.event().getId();
    if (verdict instanceof DeliveryPolicy.Verdict.Delivered) {
      inFlight--;
      if (send.deadLetter()) {
        env.metrics().deadLettered(ref);
        count(Finished.deadLettered());
      } else {
        env.metrics().delivered(ref, Duration.between(send.scheduled(), env.clock().instant()));
        count(Finished.delivered(send.scheduled()));
      }
      return;
    }
    String why =
        verdict instanceof DeliveryPolicy.Verdict.GiveUp g
            ? g.why()
            : "the Trigger changed or was deleted while retrying";
    LOG.warning(() -> ref + ": event " + id + " to " + send.function() + " failed: " + why);
    String reason = (send.deadLetter() ? "dead letter: " : "") + why;
    env.listener().gaveUp(ref, send.function(), id, reason);
    TriggerState.Failure failure =
        new TriggerState.Failure(
            env.clock().instant(), "event " + id + " to " + send.function() + ": " + reason);
    if (send.deadLetter()) {
      // Counted failed already, when the Trigger's Function was given up on.
      inFlight--;
      count(Finished.deadLetterFailed(failure));
      return;
    }
    env.metrics().failed(ref);
    count(Finished.failed(failure));
    // Also when an edit or a deletion cut the retries short: the event is as lost then (one
    // attempt, as nothing retries once stopped).
    Optional<String> deadLetterFunction = DeadLetters.function(trigger);
    if (deadLetterFunction.isEmpty()) {
      inFlight--;
      return;
    }
    String to = deadLetterFunction.get();
    if (env.functions().find(ref.namespace(), to).isEmpty()) {
      inFlight--;
      env.listener().gaveUp(ref, to, id, "dead letter: no Function " + to + " in the namespace");
      return;
    }
    // Still in flight: under Forbid the next fire waits for the dead letter too.
    CloudEvent dead = DeadLetters.event(send.event(), function(), why);
    attempt(new Send(dead, send.scheduled(), to, policyFor(to), true), 1);
  }

  private void count(Finished finished) {
    if (!stopped) {
      publish(finished.addedTo(state));
      return;
    }
    late.count(this, finished);
  }

  @Override
  public void countLate(Finished finished) {
    publish(finished.addedTo(state));
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
      publish.accept(next);
    }
  }
}
