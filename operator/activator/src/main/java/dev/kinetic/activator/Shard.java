package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;

/**
 * This activator's place among the activators in front of the same pods: {@code index} in {@code
 * [0, count)}. Every activator splits each pod's hard limit the same way, from the same inputs, so
 * that their shares add up to exactly the limit without their talking to each other.
 */
record Shard(int index, int count) {
  /** One activator alone (local mode, static routes): it has every slot of every pod. */
  static final Shard ALONE = new Shard(0, 1);

  /** A pod with no hard limit: no slot count. */
  static final int UNLIMITED = Integer.MAX_VALUE;

  Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("index " + index + " of " + count + " activators");
    }
  }

  /**
   * This activator's slots on {@code pod}, whose hard limit is {@code hard} (0: none). Each
   * activator takes {@code hard / count}; the remainder goes one slot each to the next activators
   * after a starting point taken from the pod's address, so that with a limit below the number of
   * activators different pods serve different activators. Summed over every index: exactly {@code
   * hard}. A pod may so have no slot for this activator at all.
   */
  int slots(int hard, Endpoint pod) {
    if (hard == 0) {
      return UNLIMITED;
    }
    int start = Math.floorMod(pod.toString().hashCode(), count);
    int position = Math.floorMod(index - start, count);
    return hard / count + (position < hard % count ? 1 : 0);
  }
}
