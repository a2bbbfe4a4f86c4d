package dev.kinetic.operator.routing;

import dev.kinetic.api.Domains;
import dev.kinetic.api.Function;
import dev.kinetic.operator.status.Conditions;
import dev.kinetic.operator.status.Verdict;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * RoutesReady for one reconcile: the activators are asked at most once ({@link RouteRounds}), and
 * only if the status needs it (the pods are ready). Asked once per generation and set of held
 * domains: a status that already says every activator routes this generation, while the Function
 * holds the domains that status records, is kept, since an activator that starts later has read
 * every Function before it is ready.
 */
public final class RoutesAnswer implements Supplier<Verdict> {
  private final RouteRounds rounds;
  private final Function function;
  private final Supplier<List<String>> domains;
  private Verdict answer;

  /**
   * @param domains the names of {@code spec.domains} the Function holds now, which the activators
   *     must route to it as well
   */
  public RoutesAnswer(RouteRounds rounds, Function function, Supplier<List<String>> domains) {
    this.rounds = rounds;
    this.function = function;
    this.domains = domains;
  }

  @Override
  public Verdict get() {
    if (answer == null) {
      List<String> held = domains.get();
      // Kept only while it holds the domains its status records: routed was said of those.
      answer =
          routedAtItsGeneration(function)
              .filter(c -> held.equals(Domains.recorded(function)))
              .map(c -> Verdict.ok(c.getReason(), c.getMessage()))
              .orElseGet(() -> rounds.ask(function, held));
    }
    return answer;
  }

  /** Its RoutesReady condition, if that says every activator routes its current generation. */
  public static Optional<Condition> routedAtItsGeneration(Function function) {
    long generation = Optional.ofNullable(function.getMetadata().getGeneration()).orElse(0L);
    return Conditions.find(
            function.getStatus() == null ? null : function.getStatus().getConditions(),
            Conditions.ROUTES_READY)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .filter(c -> Long.valueOf(generation).equals(c.getObservedGeneration()));
  }

  /**
   * When to ask again, in milliseconds: after {@code interval} while some activator is behind, as
   * nothing the operator watches changes when an activator's watch catches up (a round still under
   * way brings a reconcile of its own when it is answered; this one then finds it under way). Not
   * while there is no activator at all: a change of the activators' EndpointSlices brings the next
   * reconcile then (an activator that becomes ready has read every Function). Never once routed,
   * nor when the activators were not asked.
   */
  public Optional<Long> askAgainIn(Duration interval) {
    if (answer == null || answer.isTrue() || "NoActivators".equals(answer.reason())) {
      return Optional.empty();
    }
    return Optional.of(interval.toMillis());
  }
}
