package dev.kinetic.api;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Compares a Function spec with the platform limits. Pure: same input, same answer. */
public final class LimitCheck {
  private LimitCheck() {}

  /** Every field above its limit, in spec order; empty when the Function fits. */
  public static List<LimitViolation> violations(FunctionSpec spec, PlatformLimits limits) {
    List<LimitViolation> found = new ArrayList<>();
    if (spec.getConcurrency() != null) {
      above(
          found, "spec.concurrency.hard", spec.getConcurrency().getHard(), limits.maxConcurrency());
      above(
          found,
          "spec.concurrency.target",
          spec.getConcurrency().getTarget(),
          limits.maxConcurrency());
    }
    if (spec.getScale() != null) {
      above(found, "spec.scale.min", spec.getScale().getMin(), limits.maxReplicas());
      above(found, "spec.scale.max", spec.getScale().getMax(), limits.maxReplicas());
      above(found, "spec.scale.initial", spec.getScale().getInitial(), limits.maxReplicas());
    }
    above(found, "spec.timeoutSeconds", spec.getTimeoutSeconds(), limits.maxTimeoutSeconds());
    OptionalLong memory = EffectiveSpec.memoryLimitBytes(spec);
    OptionalLong maxMemory = limits.maxMemoryBytes();
    if (memory.isPresent() && maxMemory.isPresent() && memory.getAsLong() > maxMemory.getAsLong()) {
      found.add(
          new LimitViolation(
              "spec.resources.limits.memory",
              spec.getResources().limit("memory"),
              maxMemory.getAsLong() + " bytes"));
    }
    return found;
  }

  private static void above(
      List<LimitViolation> found, String field, Integer value, OptionalInt limit) {
    if (value != null && limit.isPresent() && value > limit.getAsInt()) {
      found.add(new LimitViolation(field, value.toString(), Integer.toString(limit.getAsInt())));
    }
  }
}
