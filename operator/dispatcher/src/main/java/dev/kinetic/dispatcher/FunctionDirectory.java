package dev.kinetic.dispatcher;

import dev.kinetic.api.EffectiveSpec;
import java.util.Optional;
import java.util.OptionalInt;

/** Which functions exist, as the dispatcher needs to know them. */
public interface FunctionDirectory {
  /**
   * What the dispatcher needs of a function.
   *
   * @param timeoutSeconds its timeoutSeconds: no attempt waits longer
   * @param capacity requests it can take at once, its hard limit times its maximum pods; empty when
   *     either is unbounded
   */
  record Target(int timeoutSeconds, OptionalInt capacity) {
    public static Target of(EffectiveSpec spec) {
      return new Target(
          spec.timeoutSeconds(),
          spec.hardConcurrency() > 0 && spec.maxScale().isPresent()
              ? OptionalInt.of(spec.hardConcurrency() * spec.maxScale().get())
              : OptionalInt.empty());
    }
  }

  /** The function, or empty when there is no such Function. */
  Optional<Target> find(String namespace, String name);
}
