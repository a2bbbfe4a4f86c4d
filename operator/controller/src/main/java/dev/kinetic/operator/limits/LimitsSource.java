package dev.kinetic.operator.limits;

/** Where the reconciler gets the platform limits from. */
@FunctionalInterface
public interface LimitsSource {
  LimitsReading current();
}
