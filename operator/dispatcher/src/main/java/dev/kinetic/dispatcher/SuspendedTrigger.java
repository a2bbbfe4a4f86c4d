package dev.kinetic.dispatcher;

import dev.kinetic.api.ScheduleSpec;
import dev.kinetic.api.Trigger;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A Trigger with {@code spec.suspend: true}: it sends nothing and holds no connection to its
 * source, but still says what would stop it once resumed (a schedule that does not parse, a missing
 * Function), so a user learns that before setting it back. Its counts and its record of handled
 * times stay as they were: the runner that resumes it goes on from them. Dispatcher thread only.
 */
final class SuspendedTrigger implements TriggerRunner {
  private final TriggerRef ref;
  private final Trigger trigger;
  private final FunctionDirectory functions;
  private final Consumer<TriggerState> publish;
  private TriggerState state;
  private boolean stopped;

  /**
   * @param initial the counts and handled times to keep; its next fire time is dropped, as nothing
   *     fires while suspended
   */
  SuspendedTrigger(
      TriggerRef ref,
      Trigger trigger,
      TriggerState initial,
      FunctionDirectory functions,
      Consumer<TriggerState> publish) {
    this.ref = ref;
    this.trigger = trigger;
    this.functions = functions;
    this.publish = publish;
    this.state = initial.withTimes(initial.handledUpTo(), Optional.empty());
  }

  @Override
  public void start() {
    publish.accept(state);
    refresh();
  }

  @Override
  public void refresh() {
    if (stopped) {
      return;
    }
    TriggerState next = withCondition();
    if (!next.equals(state)) {
      state = next;
      publish.accept(next);
    }
  }

  private TriggerState withCondition() {
    ScheduleSpec schedule = trigger.getSpec().getSchedule();
    if (schedule != null) {
      try {
        CronSchedule.parse(schedule.getCron(), schedule.getTimeZone());
      } catch (TriggerProblem p) {
        return state.withCondition(false, p.reason(), p.getMessage());
      }
    }
    String function = trigger.getSpec().getFunction();
    if (functions.find(ref.namespace(), function).isEmpty()) {
      return state.functionNotFound(function, ref.namespace(), " (suspended)");
    }
    Optional<TriggerState> deadLetterMissing = DeadLetters.missing(state, ref, trigger, functions);
    if (deadLetterMissing.isPresent()) {
      return deadLetterMissing.get();
    }
    return state.withCondition(
        true,
        TriggerState.SUSPENDED,
        schedule != null
            ? "suspended (spec.suspend): scheduled times pass unfired until it is false"
            : "suspended (spec.suspend): nothing is consumed; records wait in the topics from the"
                + " consumer group's committed offsets until it is false");
  }

  @Override
  public void countLate(Finished finished) {
    state = finished.addedTo(state);
    if (!stopped) {
      publish.accept(state);
    }
  }

  @Override
  public CompletableFuture<Void> stop() {
    stopped = true;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public TriggerState state() {
    return state;
  }
}
