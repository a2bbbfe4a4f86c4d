package dev.kinetic.dispatcher;

import dev.kinetic.api.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Trigger whose source runs by itself (an {@link EventStream}): started once its Function exists,
 * restarted when the Function's capacity or timeout changes or the stream stopped by itself, and
 * read every {@link Dispatcher#STREAM_TICK} into the Trigger's state. Dispatcher thread only.
 */
final class StreamedTrigger implements TriggerRunner {
  private static final Logger LOG = Logger.getLogger(StreamedTrigger.class.getName());

  /** Wait after a failed start or a stream that stopped, before the next try. */
  static final Duration RESTART_AFTER = Duration.ofSeconds(10);

  /** Records given up on are told at most this often (the first at once), counted in between. */
  static final Duration GIVEN_UP_EVERY = Duration.ofMinutes(1);

  private final TriggerRef ref;
  private final Trigger trigger;
  private final FunctionDirectory functions;
  private final EventStreams streams;
  private final int maxInFlightCap;
  private final DispatcherMetrics metrics;
  private final Clock clock;
  private final Consumer<TriggerState> publish;
  private final Consumer<String> givenUp;

  /** The counts of streams closed before the current one, the status' among them. */
  private TriggerState base;

  private TriggerState state;
  private EventStream stream;
  private Optional<FunctionDirectory.Target> startedFor = Optional.empty();
  private Instant nextTry = Instant.MIN;
  private boolean stopped;

  // Of the current stream's counts, those already noted below.
  private long seenFailed;
  private long seenDeadLettered;
  // Given up on since they were last told, and the last one's reason.
  private long untoldFailed;
  private long untoldDeadLettered;
  private Instant untoldSince;
  private Optional<String> lastGivenUp = Optional.empty();
  private Instant lastTold = Instant.MIN;

  StreamedTrigger(
      TriggerRef ref,
      Trigger trigger,
      TriggerState initial,
      FunctionDirectory functions,
      EventStreams streams,
      int maxInFlightCap,
      DispatcherMetrics metrics,
      Clock clock,
      Consumer<TriggerState> publish,
      Consumer<String> givenUp) {
    this.ref = ref;
    this.trigger = trigger;
    this.functions = functions;
    this.streams = streams;
    this.maxInFlightCap = maxInFlightCap;
    this.metrics = metrics;
    this.clock = clock;
    this.publish = publish;
    this.givenUp = givenUp;
    this.base = initial;
    this.state = initial;
  }

  @Override
  public void start() {
    refresh();
  }

  @Override
  public void refresh() {
    if (stopped) {
      return;
    }
    Optional<FunctionDirectory.Target> target = functions.find(ref.namespace(), function());
    if (target.isEmpty()) {
      closeStream();
      show(
          base.functionNotFound(
              function(), ref.namespace(), ": nothing is consumed until it exists"));
      return;
    }
    boolean died = stream != null && stream.progress().stopped();
    if (died) {
      nextTry = clock.instant().plus(RESTART_AFTER);
    }
    if (died || (stream != null && !target.equals(startedFor))) {
      closeStream();
    }
    if (stream == null && !clock.instant().isBefore(nextTry)) {
      open(target.get());
    }
    // Between a stream that stopped (or a failed start) and the next try, its problem shows.
    show(stream != null ? current() : base);
    tellGivenUp(false);
  }

  private void open(FunctionDirectory.Target target) {
    int maxInFlight = Math.min(maxInFlightCap, target.capacity().orElse(maxInFlightCap));
    DeliveryPolicy policy =
        DeliveryPolicy.of(trigger.getSpec().getDelivery(), target.timeoutSeconds());
    try {
      stream = streams.start(ref, trigger, policy, Math.max(1, maxInFlight), metrics.observer(ref));
      startedFor = Optional.of(target);
      seenFailed = 0;
      seenDeadLettered = 0;
    } catch (TriggerProblem p) {
      nextTry = clock.instant().plus(RESTART_AFTER);
      base = base.withCondition(false, p.reason(), p.getMessage());
    } catch (RuntimeException e) {
      // Not a problem of the spec: said as such, and tried again later like one.
      LOG.log(Level.WARNING, ref + ": could not start its stream", e);
      nextTry = clock.instant().plus(RESTART_AFTER);
      base = base.withCondition(false, TriggerState.PENDING, "could not start: " + e);
    }
  }

  /** The base counts plus the running stream's, with its condition and lag. */
  private TriggerState current() {
    EventStream.Progress p = stream.progress();
    noteGivenUp(p);
    TriggerState now =
        base.counting(TriggerCounts.finished(p.delivered(), p.failed(), p.deadLettered()))
            .withLag(p.lag());
    p.lag().ifPresent(lag -> metrics.lag(ref, lag));
    return p.problem()
        .map(problem -> now.withCondition(false, problem.reason(), problem.getMessage()))
        .or(() -> DeadLetters.missing(now, ref, trigger, functions))
        .orElseGet(() -> now.withCondition(true, TriggerState.CONSUMING, stream.describe()));
  }

  /** Adds what the stream gave up on since it was last read to what is still to be told. */
  private void noteGivenUp(EventStream.Progress p) {
    long more = p.failed() - seenFailed;
    if (more <= 0) {
      return;
    }
    if (untoldFailed == 0) {
      untoldSince = clock.instant();
    }
    untoldFailed += more;
    untoldDeadLettered += p.deadLettered() - seenDeadLettered;
    seenFailed = p.failed();
    seenDeadLettered = p.deadLettered();
    // Only a record the stream names now: an older one would be stamped with this moment.
    p.lastGivenUp()
        .ifPresent(last -> base = base.failed(new TriggerState.Failure(clock.instant(), last)));
    lastGivenUp = p.lastGivenUp().or(() -> lastGivenUp);
  }

  /**
   * Tells what was given up on since the last time, at most once per {@link #GIVEN_UP_EVERY} unless
   * {@code now} (the stream is closing): one Event a minute however many records fail.
   */
  private void tellGivenUp(boolean now) {
    if (untoldFailed == 0 || (!now && clock.instant().isBefore(lastTold.plus(GIVEN_UP_EVERY)))) {
      return;
    }
    givenUp.accept(
        untoldFailed
            + (untoldFailed == 1 ? " record" : " records")
            + " to function "
            + function()
            + " given up since "
            + untoldSince
            + (untoldDeadLettered > 0 ? " (" + untoldDeadLettered + " dead-lettered)" : "")
            + lastGivenUp.map(last -> "; the last: " + last).orElse(""));
    lastTold = clock.instant();
    untoldFailed = 0;
    untoldDeadLettered = 0;
  }

  /** Folds the stream's counts into the base and closes it in the background. */
  private CompletableFuture<Void> closeStream() {
    if (stream == null) {
      return CompletableFuture.completedFuture(null);
    }
    EventStream closing = stream;
    // Counts as they are now: what the stream finishes while closing is delivered, but not
    // counted (the records stay uncommitted and are counted again by the next stream).
    base = current().withLag(base.lag());
    tellGivenUp(true);
    stream = null;
    startedFor = Optional.empty();
    LOG.info(() -> ref + ": stopping " + closing.describe());
    return CompletableFuture.runAsync(closing::close);
  }

  private void show(TriggerState next) {
    if (!next.equals(state)) {
      state = next;
      publish.accept(next);
    }
  }

  @Override
  public void countLate(Finished finished) {
    base = finished.addedTo(base);
    if (!stopped) {
      show(finished.addedTo(state));
    }
  }

  @Override
  public CompletableFuture<Void> stop() {
    stopped = true;
    return closeStream();
  }

  @Override
  public TriggerState state() {
    return state;
  }

  private String function() {
    return trigger.getSpec().getFunction();
  }
}
