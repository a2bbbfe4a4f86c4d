package dev.kinetic.operator.routing;

import dev.kinetic.api.Function;
import dev.kinetic.operator.status.Conditions;
import dev.kinetic.operator.status.Verdict;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * RoutesReady for one reconcile: the activators are asked at most once, and only if the status
 * needs it (the pods are ready). Asked once per generation: a status that already says every
 * activator routes this generation is kept, since an activator that starts later has read every
 * Function before it is ready.
 */
public final class RoutesAnswer implements Supplier<Verdict> {
  /** With no activator at all, they are asked this many intervals apart. */
  static final int NO_ACTIVATORS_SLOWER = 10;

  private final RouteProbe probe;
  private final Function function;
  private Verdict answer;

  public RoutesAnswer(RouteProbe probe, Function function) {
    this.probe = probe;
    this.function = function;
  }

  @Override
  public Verdict get() {
    if (answer == null) {
      long generation = Optional.ofNullable(function.getMetadata().getGeneration()).orElse(0L);
      answer =
          Conditions.find(
                  function.getStatus() == null ? null : function.getStatus().getConditions(),
                  Conditions.ROUTES_READY)
              .filter(c -> Conditions.TRUE.equals(c.getStatus()))
              .filter(c -> Long.valueOf(generation).equals(c.getObservedGeneration()))
              .map(c -> Verdict.ok(c.getReason(), c.getMessage()))
              .orElseGet(() -> probe.check(function));
    }
    return answer;
  }

  /**
   * When to ask again, in milliseconds: soon while some activator is behind (nothing the operator
   * watches changes when an activator's watch catches up); less often while there is none at all
   * (nothing can route then, and an activator that starts has every Function); never once routed,
   * or when the activators were not asked.
   */
  public Optional<Long> askAgainIn(Duration interval) {
    if (answer == null || answer.isTrue()) {
      return Optional.empty();
    }
    return Optional.of(
        "NoActivators".equals(answer.reason())
            ? interval.toMillis() * NO_ACTIVATORS_SLOWER
            : interval.toMillis());
  }
}
