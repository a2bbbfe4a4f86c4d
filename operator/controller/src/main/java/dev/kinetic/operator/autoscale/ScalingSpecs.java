package dev.kinetic.operator.autoscale;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.LimitCheck;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.autoscaler.ScalingSpec;
import java.util.Optional;

/** What the autoscaler needs of a Function, after defaults and the platform's caps. Pure. */
public final class ScalingSpecs {
  private ScalingSpecs() {}

  /**
   * @return empty for a Function the reconciler refuses (over a platform limit, or a spec the API
   *     server did not validate): it gets no Deployment, so there is nothing to scale
   */
  public static Optional<ScalingSpec> of(Function function, PlatformLimits limits) {
    if (function.getSpec() == null
        || !LimitCheck.violations(function.getSpec(), limits).isEmpty()) {
      return Optional.empty();
    }
    try {
      EffectiveSpec e = EffectiveSpec.of(function.getSpec(), limits);
      // No scale.max and no admin cap: unbounded, as in Knative; the scale-up rate still limits
      // each step, and an admin bounds it with maxReplicas / maxTotalReplicas.
      int max = Math.max(1, e.maxScale().orElse(Integer.MAX_VALUE));
      return Optional.of(
          new ScalingSpec(
              e.minScale(),
              max,
              e.targetConcurrency(),
              e.targetRequestsPerSecond(),
              e.idleTimeout(),
              e.window(),
              e.targetUtilizationPercent() / 100.0,
              e.scaleDownDelay()));
    } catch (IllegalArgumentException invalid) {
      return Optional.empty();
    }
  }
}
