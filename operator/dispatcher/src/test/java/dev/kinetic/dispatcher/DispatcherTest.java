package dev.kinetic.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.api.DeliverySpec;
import dev.kinetic.api.ScheduleSpec;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.TriggerSpec;
import dev.kinetic.api.TriggerStatus;
import dev.kinetic.dispatcher.DeliveryPolicy.Outcome;
import io.cloudevents.CloudEvent;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher with real time and a fake sender: every-second schedules, so a test takes ~3 s.
 */
class DispatcherTest {
  private static final TriggerRef REF = new TriggerRef("default", "tick", "uid-1");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Set<String> functions = ConcurrentHashMap.newKeySet();

  {
    functions.add("default/fn");
  }

  private final List<String> gaveUp = new CopyOnWriteArrayList<>();
  private final FakeSender sender = new FakeSender();
  private final Dispatcher dispatcher =
      new Dispatcher(
          Clock.systemUTC(),
          sender,
          (namespace, name) ->
              functions.contains(namespace + "/" + name)
                  ? Optional.of(new FunctionDirectory.Target(30, OptionalInt.empty()))
                  : Optional.empty(),
          new Dispatcher.Listener() {
            @Override
            public void gaveUp(TriggerRef ref, String function, String eventId, String why) {
              gaveUp.add(eventId + ": " + why);
            }
          },
          registry,
          () -> 0.5,
          Dispatcher.Settings.DEFAULTS,
          EventStreams.NONE);

  @AfterEach
  void stop() {
    dispatcher.close();
  }

  @Test
  void anEverySecondScheduleDeliversOneEventPerSecondWithDistinctIdsAndItsPayload() {
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().getSchedule().setPayload(new AnyType(Map.of("report", "daily")));
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 3);
    List<Sent> sent = List.copyOf(sender.sent);
    assertThat(sent).extracting(s -> s.event().getId()).doesNotHaveDuplicates();
    for (Sent s : sent) {
      CloudEvent e = s.event();
      assertThat(s.namespace() + "/" + s.function()).isEqualTo("default/fn");
      Instant scheduled = e.getTime().toInstant();
      assertThat(scheduled.getNano()).as("a whole second").isZero();
      assertThat(e.getId()).isEqualTo("uid-1/" + scheduled);
      assertThat(e.getType()).isEqualTo(ScheduleEvents.TYPE);
      assertThat(e.getSource().toString())
          .isEqualTo("/apis/kinetic.dev/v1alpha1/namespaces/default/triggers/tick");
      assertThat(new String(e.getData().toBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"report\":\"daily\"}");
    }
    // Consecutive seconds: none skipped, none twice.
    List<Instant> times = sent.stream().map(s -> s.event().getTime().toInstant()).sorted().toList();
    for (int i = 1; i < times.size(); i++) {
      assertThat(Duration.between(times.get(i - 1), times.get(i))).isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(state().ready()).isTrue();
    assertThat(state().reason()).isEqualTo(TriggerState.SCHEDULED);
    assertThat(state().next()).isPresent();
    assertThat(counter("kinetic.dispatcher.events.delivered")).isGreaterThanOrEqualTo(3);
    Instant lastSuccess = state().lastSuccess().orElseThrow();
    assertThat(sender.sent).extracting(s -> s.event().getTime().toInstant()).contains(lastSuccess);
  }

  @Test
  void afterCloseApplyStartsNothingAndDoesNotThrow() {
    dispatcher.close();

    // What local mode's reload and the cluster's informers may still call while stopping.
    dispatcher.apply(List.of(trigger("* * * * * *")));

    assertThat(dispatcher.states()).isEmpty();
    assertThat(sender.sent).isEmpty();
  }

  @Test
  void anEventFailingTwiceIsDeliveredOnTheThirdAttempt() {
    sender.answers = attempt -> attempt <= 2 ? answered(503) : answered(200);
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().setDelivery(fastRetries(3));
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 1);
    String first = sender.sent.get(0).event().getId();
    assertThat(sender.sent.stream().filter(s -> s.event().getId().equals(first)))
        .extracting(Sent::attempt)
        .containsExactly(1, 2, 3);
    assertThat(state().counts().failed()).isZero();
    assertThat(counter("kinetic.dispatcher.events.retried")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aFinalAnswerIsOneAttemptCountedFailedAndReported() {
    sender.answers = attempt -> answered(400);
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().setDelivery(fastRetries(3));
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().failed() >= 2);
    assertThat(sender.sent).extracting(Sent::attempt).containsOnly(1);
    assertThat(state().counts().delivered()).isZero();
    assertThat(state().lastSuccess()).as("nothing succeeded").isEmpty();
    assertThat(gaveUp).first().asString().startsWith("uid-1/").contains("answered 400");
    // Kept in the status, where the Events saying so expire.
    TriggerState.Failure last = state().lastFailure().orElseThrow();
    assertThat(last.message()).startsWith("event uid-1/").contains(" to fn: ").contains("400");
  }

  @Test
  void theLastFailureGoesOnFromTheStatusUntilALaterOne() {
    Trigger trigger = trigger("* * * * * *");
    TriggerStatus status = new TriggerStatus();
    status.setLastFailure(
        new dev.kinetic.api.TriggerFailure(
            "2026-01-01T00:00:00Z", "event old to fn: answered 500"));
    trigger.setStatus(status);
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 1);
    assertThat(state().lastFailure())
        .as("a success keeps the last failure")
        .hasValue(
            new TriggerState.Failure(
                Instant.parse("2026-01-01T00:00:00Z"), "event old to fn: answered 500"));

    sender.answers = attempt -> answered(400);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state().lastFailure().orElseThrow().message().contains("400"));
    assertThat(state().lastFailure().orElseThrow().time())
        .isAfter(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void theLastSuccessGoesOnFromTheStatusUntilALaterOne() {
    sender.answers = attempt -> answered(400);
    Trigger trigger = trigger("* * * * * *");
    TriggerStatus status = new TriggerStatus();
    status.setLastSuccessfulTime("2026-01-01T00:00:00Z");
    trigger.setStatus(status);
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().failed() >= 1);
    assertThat(state().lastSuccess()).hasValue(Instant.parse("2026-01-01T00:00:00Z"));

    sender.answers = attempt -> answered(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 1);
    assertThat(state().lastSuccess().orElseThrow()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void everyRetrySpentIsAFailure() {
    sender.answers = attempt -> new Outcome.NoAnswer("could not connect to the activator");
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().setDelivery(fastRetries(1));
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().failed() >= 1);
    assertThat(gaveUp).first().asString().contains("attempt 2 of 2");
  }

  @Test
  void aMissingFunctionIsReportedAndTheTriggerRecoversWhenItAppears() {
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().setFunction("later");
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().skipped() >= 1);
    assertThat(state().ready()).isFalse();
    assertThat(state().reason()).isEqualTo(TriggerState.FUNCTION_NOT_FOUND);
    assertThat(state().message()).contains("no Function later in namespace default");
    assertThat(sender.sent).isEmpty();

    functions.add("default/later");
    dispatcher.apply(List.of(trigger));
    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 1);
    assertThat(state().reason()).isEqualTo(TriggerState.SCHEDULED);
  }

  @Test
  void aFunctionOfTheSameNameInAnotherNamespaceIsNotFoundAndNeverReceivesAnEvent() {
    functions.add("team-b/report");
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().setFunction("report");
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().skipped() >= 2);
    assertThat(state().reason()).isEqualTo(TriggerState.FUNCTION_NOT_FOUND);
    assertThat(state().message()).contains("in namespace default");
    assertThat(sender.sent).isEmpty();
  }

  @Test
  void aSenderThatThrowsIsAFailedAttemptAndTheScheduleGoesOn() {
    sender.answers =
        attempt -> {
          throw new IllegalStateException("broken sender");
        };
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().setDelivery(fastRetries(0));
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().failed() >= 2);
    assertThat(gaveUp).first().asString().contains("broken sender");
  }

  @Test
  void aScheduleThatDoesNotParseIsReportedAndNeverFires() {
    dispatcher.apply(List.of(trigger("61 * * * *")));
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.states().containsKey(REF));
    assertThat(state().ready()).isFalse();
    assertThat(state().reason()).isEqualTo(TriggerProblem.INVALID_SCHEDULE);
    assertThat(state().message()).contains("'61 * * * *'");
  }

  @Test
  void aDeletedTriggerStopsFiringAndLeavesNoMeters() {
    dispatcher.apply(List.of(trigger("* * * * * *")));
    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 1);
    dispatcher.apply(List.of());
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.states().isEmpty());
    assertThat(registry.getMeters()).isEmpty();
    int sent = sender.sent.size();
    // Two more scheduled seconds pass with nothing sent.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> sender.sent.size() == sent);
  }

  @Test
  void aSuspendedScheduleSendsNothingAndOnResumeGoesOnWithoutRepeatingATime() {
    Trigger running = trigger("* * * * * *");
    dispatcher.apply(List.of(running));
    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 1);

    Trigger suspended = trigger("* * * * * *");
    suspended.getSpec().setSuspend(true);
    dispatcher.apply(List.of(suspended));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state().reason().equals(TriggerState.SUSPENDED));
    assertThat(state().ready()).as("nothing is wrong").isTrue();
    assertThat(state().message()).contains("spec.suspend");
    assertThat(state().next()).as("nothing fires while suspended").isEmpty();
    long deliveredBefore = state().counts().delivered();
    int sent = sender.sent.size();
    // Two more scheduled seconds pass with nothing sent, and the counts stay.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> sender.sent.size() == sent);
    assertThat(state().counts().delivered()).isEqualTo(deliveredBefore);
    assertThat(state().handledUpTo()).isPresent();

    dispatcher.apply(List.of(running));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state().counts().delivered() >= deliveredBefore + 2);
    assertThat(state().reason()).isEqualTo(TriggerState.SCHEDULED);
    assertThat(sender.sent).extracting(s -> s.event().getId()).doesNotHaveDuplicates();
  }

  @Test
  void anEventWaitingForARetryWhenSuspendedIsTriedOnceMoreThenGivenUp() {
    suspendWhileRetrying(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> !gaveUp.isEmpty());
    assertThat(gaveUp).first().asString().contains("changed or was deleted while retrying");
    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().failed() >= 1);
    int sent = sender.sent.size();
    assertThat(sender.sent)
        .as("no event gets its sixth attempt")
        .extracting(Sent::attempt)
        .allMatch(a -> a <= 2);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> sender.sent.size() == sent);
  }

  @Test
  void anEventWhoseRetriesASuspensionCutShortGoesToTheDeadLetterFunction() {
    functions.add("default/failed-reports");
    suspendWhileRetrying("failed-reports");
    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().deadLettered() >= 1);
    assertThat(sender.sent)
        .filteredOn(s -> s.function().equals("failed-reports"))
        .first()
        .satisfies(
            s ->
                assertThat(s.event().getExtension(DeadLetters.ERROR).toString())
                    .contains("changed or was deleted while retrying"));
  }

  @Test
  void aSuspendedTriggerStillSaysWhatWouldStopItOnResume() {
    Trigger noFunction = trigger("* * * * * *");
    noFunction.getSpec().setSuspend(true);
    noFunction.getSpec().setFunction("later");
    dispatcher.apply(List.of(noFunction));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state().reason().equals(TriggerState.FUNCTION_NOT_FOUND));
    assertThat(state().message()).contains("no Function later in namespace default");

    functions.add("default/later");
    dispatcher.apply(List.of(noFunction));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state().reason().equals(TriggerState.SUSPENDED));

    Trigger badCron = trigger("61 * * * *");
    badCron.getSpec().setSuspend(true);
    dispatcher.apply(List.of(badCron));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state().reason().equals(TriggerProblem.INVALID_SCHEDULE));
    assertThat(state().ready()).isFalse();
    assertThat(sender.sent).isEmpty();
  }

  @Test
  void anEventGivenUpOnGoesToTheDeadLetterFunctionAsItWasWithWhyAndFromWhichFunction() {
    functions.add("default/failed-reports");
    sender.answers = attempt -> answered(400);
    Trigger trigger = trigger("* * * * * *");
    trigger.getSpec().getSchedule().setPayload(new AnyType(Map.of("report", "daily")));
    DeliverySpec delivery = fastRetries(2);
    delivery.setDeadLetterFunction("failed-reports");
    trigger.getSpec().setDelivery(delivery);
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().deadLettered() >= 1);
    Sent dead =
        sender.sent.stream().filter(s -> s.function().equals("failed-reports")).findFirst().get();
    Sent original =
        sender.sent.stream()
            .filter(
                s -> s.function().equals("fn") && s.event().getId().equals(dead.event().getId()))
            .findFirst()
            .get();
    assertThat(dead.namespace()).isEqualTo("default");
    assertThat(dead.event().getTime()).isEqualTo(original.event().getTime());
    assertThat(dead.event().getType()).isEqualTo(ScheduleEvents.TYPE);
    assertThat(dead.event().getData().toBytes()).isEqualTo(original.event().getData().toBytes());
    assertThat(dead.event().getExtension(DeadLetters.ERROR).toString()).contains("answered 400");
    assertThat(dead.event().getExtension(DeadLetters.ERROR_FUNCTION)).isEqualTo("fn");
    assertThat(state().counts().failed())
        .as("a dead letter is a failure too")
        .isGreaterThanOrEqualTo(1);
    assertThat(state().reason()).isEqualTo(TriggerState.SCHEDULED);
    assertThat(counter("kinetic.dispatcher.events.deadlettered")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aDeadLetterRefusedTooIsRetriedThenReportedAndNotCountedDeadLettered() {
    functions.add("default/failed-reports");
    sender.answers = attempt -> answered(400);
    sender.deadLetterAnswers = attempt -> answered(503);
    Trigger trigger = trigger("* * * * * *");
    DeliverySpec delivery = fastRetries(1);
    delivery.setDeadLetterFunction("failed-reports");
    trigger.getSpec().setDelivery(delivery);
    dispatcher.apply(List.of(trigger));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gaveUp.stream().anyMatch(g -> g.contains("dead letter: ")));
    assertThat(gaveUp).anySatisfy(g -> assertThat(g).contains("dead letter: answered 503"));
    assertThat(sender.sent)
        .filteredOn(s -> s.function().equals("failed-reports"))
        .extracting(Sent::attempt)
        .contains(1, 2)
        .allMatch(a -> a <= 2);
    assertThat(state().counts().deadLettered()).isZero();
  }

  @Test
  void aMissingDeadLetterFunctionIsReportedWhileTheScheduleStillFires() {
    Trigger trigger = trigger("* * * * * *");
    DeliverySpec delivery = fastRetries(1);
    delivery.setDeadLetterFunction("failed-reports");
    trigger.getSpec().setDelivery(delivery);
    dispatcher.apply(List.of(trigger));

    await().atMost(Duration.ofSeconds(10)).until(() -> state().counts().delivered() >= 1);
    assertThat(state().ready()).isFalse();
    assertThat(state().reason()).isEqualTo(TriggerState.DEAD_LETTER_FUNCTION_NOT_FOUND);
    assertThat(state().message()).contains("no Function failed-reports in namespace default");

    functions.add("default/failed-reports");
    dispatcher.apply(List.of(trigger));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> state().reason().equals(TriggerState.SCHEDULED));
  }

  /**
   * A Trigger whose events are answered 503 and retried every second, suspended once its first
   * event is waiting for a retry.
   */
  private void suspendWhileRetrying(String deadLetterFunction) {
    sender.answers = attempt -> answered(503);
    DeliverySpec slowRetries = fastRetries(5);
    slowRetries.setMinBackoff("1s");
    slowRetries.setMaxBackoff("1s");
    slowRetries.setDeadLetterFunction(deadLetterFunction);
    Trigger failing = trigger("* * * * * *");
    failing.getSpec().setDelivery(slowRetries);
    dispatcher.apply(List.of(failing));
    await().atMost(Duration.ofSeconds(10)).until(() -> !sender.sent.isEmpty());

    Trigger suspended = trigger("* * * * * *");
    suspended.getSpec().setDelivery(slowRetries);
    suspended.getSpec().setSuspend(true);
    dispatcher.apply(List.of(suspended));
  }

  private TriggerState state() {
    return dispatcher
        .states()
        .getOrDefault(
            REF,
            new TriggerState(
                0,
                new TriggerState.Readiness(false, "", ""),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.OptionalLong.empty(),
                TriggerState.Outcomes.NONE));
  }

  private double counter(String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static DeliverySpec fastRetries(int retries) {
    DeliverySpec delivery = new DeliverySpec();
    delivery.setRetries(retries);
    delivery.setMinBackoff("100ms");
    delivery.setMaxBackoff("200ms");
    return delivery;
  }

  private static Outcome answered(int status) {
    return new Outcome.Answered(status, OptionalLong.empty());
  }

  static Trigger trigger(String cron) {
    Trigger trigger = new Trigger();
    trigger.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(REF.namespace())
            .withName(REF.name())
            .withUid(REF.uid())
            .withGeneration(1L)
            .build());
    TriggerSpec spec = new TriggerSpec();
    spec.setFunction("fn");
    ScheduleSpec schedule = new ScheduleSpec();
    schedule.setCron(cron);
    spec.setSchedule(schedule);
    trigger.setSpec(spec);
    return trigger;
  }

  record Sent(String namespace, String function, CloudEvent event, int attempt) {}

  /**
   * Answers each attempt as {@link #answers} says, or for a dead-letter Function as {@link
   * #deadLetterAnswers}; attempts are counted per Function and event id.
   */
  static final class FakeSender implements EventSender {
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    volatile Function<Integer, Outcome> answers = attempt -> answered(200);
    volatile Function<Integer, Outcome> deadLetterAnswers = attempt -> answered(200);

    @Override
    public CompletableFuture<Outcome> send(
        String namespace, String function, CloudEvent event, Duration timeout) {
      int attempt = attempts.merge(function + " " + event.getId(), 1, Integer::sum);
      sent.add(new Sent(namespace, function, event, attempt));
      boolean deadLetter = event.getExtension(DeadLetters.ERROR) != null;
      return CompletableFuture.completedFuture(
          (deadLetter ? deadLetterAnswers : answers).apply(attempt));
    }
  }
}
