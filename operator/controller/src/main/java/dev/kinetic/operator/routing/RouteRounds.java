package dev.kinetic.operator.routing;

import dev.kinetic.api.Function;
import dev.kinetic.operator.status.Conditions;
import dev.kinetic.operator.status.Verdict;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Asks the activators whether they route a Function without holding a reconcile thread for the
 * whole probe. A reconcile waits at most {@code wait} for the answers (a few milliseconds when the
 * activators are well). When they take longer (an activator that hangs, or one the network drops)
 * the probe goes on without it: the reconcile reports that the activators are being asked, and the
 * answer, when it comes, brings the next reconcile ({@code answeredLate}), which reads it. Without
 * this, an activator that never answers would hold one of JOSDK's reconcile threads for the whole
 * probe timeout in every reconcile of every Function not yet routed, and slow every other
 * Function's reconciles with them. Knative's ingress prober is asynchronous for the same reason.
 *
 * <p>One round per Function at a time: a reconcile that finds a round of the same version still
 * under way starts no other. A round answered late is read once; the next reconcile asks again. A
 * round whose answer nobody reads within {@link #UNREAD} (its Function was deleted meanwhile) is
 * dropped, so the rounds held are bounded by the Functions not yet routed.
 */
public final class RouteRounds {

  /** Far longer than a late answer takes to bring a reconcile (its event is queued at once). */
  static final Duration UNREAD = Duration.ofMinutes(1);

  /** The activators asked once, the answers all in (each bounded by the probe's own timeout). */
  public interface Probe {
    CompletableFuture<Verdict> ask(Function function, List<String> domains);
  }

  /** What was asked: a round answers only for the same uid, generation and domains. */
  private record Question(String uid, Long generation, List<String> domains) {}

  private record Round(Question question, CompletableFuture<Verdict> answer, Instant asked) {}

  private final Probe probe;
  private final Duration wait;
  private final InstantSource clock;
  private final Consumer<ResourceID> answeredLate;
  private final Map<ResourceID, Round> rounds = new ConcurrentHashMap<>();

  /**
   * @param wait the longest a reconcile waits for the answers before it goes on without them
   * @param clock the operator's clock, which only tells how old an unread answer is
   * @param answeredLate told which Function's answer came after its reconcile stopped waiting
   */
  public RouteRounds(
      Probe probe, Duration wait, InstantSource clock, Consumer<ResourceID> answeredLate) {
    this.probe = probe;
    this.wait = wait;
    this.clock = clock;
    this.answeredLate = answeredLate;
  }

  /**
   * RoutesReady's verdict for the Function as it is: the activators' answers if they come within
   * {@code wait} or came since the last reconcile, otherwise what its status already says at this
   * generation (so that a status is not rewritten while a round is under way), or that they are
   * being asked.
   */
  public Verdict ask(Function function, List<String> domains) {
    ResourceID id = ResourceID.fromResource(function);
    Question question =
        new Question(
            function.getMetadata().getUid(),
            function.getMetadata().getGeneration(),
            List.copyOf(domains));
    dropUnread();
    Round round = rounds.get(id);
    if (round != null && round.question().equals(question)) {
      if (!round.answer().isDone()) {
        return stillAsking(function); // its answer brings the next reconcile
      }
      rounds.remove(id, round);
      return round.answer().join();
    }
    CompletableFuture<Verdict> answer = probe.ask(function, domains);
    try {
      return answer.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException late) {
      Round asked = new Round(question, answer, clock.instant());
      rounds.put(id, asked);
      answer.whenComplete((verdict, failure) -> answeredLate.accept(id));
      return stillAsking(function);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the activators", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the route probe failed", e.getCause());
    }
  }

  /** How many Functions have a round under way or an answer not yet read. */
  int held() {
    return rounds.size();
  }

  private void dropUnread() {
    Instant oldest = clock.instant().minus(UNREAD);
    rounds.values().removeIf(r -> r.answer().isDone() && r.asked().isBefore(oldest));
  }

  /** While a round is under way: the status's own RoutesReady at this generation, if it has one. */
  private static Verdict stillAsking(Function function) {
    Long generation = function.getMetadata().getGeneration();
    Optional<Verdict> shown =
        Conditions.find(
                function.getStatus() == null ? null : function.getStatus().getConditions(),
                Conditions.ROUTES_READY)
            .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
            .filter(c -> generation != null && generation.equals(c.getObservedGeneration()))
            .map(c -> new Verdict(c.getStatus(), c.getReason(), c.getMessage()));
    return shown.orElseGet(
        () ->
            Verdict.waiting(
                "Routing",
                "asking the activators whether they route generation "
                    + (generation == null ? 0 : generation)));
  }
}
