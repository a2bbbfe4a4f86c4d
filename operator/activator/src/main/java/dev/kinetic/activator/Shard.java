package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import io.netty.util.NetUtil;

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
    int start = (int) Math.floorMod(sequence(pod.host()), (long) count);
    int position = Math.floorMod(index - start, count);
    return hard / count + (position < hard % count ? 1 : 0);
  }

  /**
   * An IP address as a number (its last 32 bits for IPv6); any other host name by its hash. The
   * starting point depends on the pod alone, so that it never moves while the pod lives and no two
   * activators can disagree on it. As a number rather than a hash: networks hand a node's new pods
   * consecutive addresses (host-local IPAM), so the pods started together for a function get
   * consecutive starting points and serve different activators. The hash of the address's text did
   * that by accident for addresses of one length, not across a change of length: 10.85.0.9 and
   * 10.85.0.10 both went to one activator of two (ShardTest). On the real node two pods started
   * together met on one activator, and its peer's requests waited for a third pod. Addresses that
   * are not consecutive can still land on one activator: no split that never moves a pod's slots
   * can promise more without the activators talking to each other.
   */
  static long sequence(String host) {
    // Netty's parser of address literals: no name lookup, null for anything else.
    byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
    if (address == null) {
      return host.hashCode();
    }
    long value = 0;
    for (int i = address.length - 4; i < address.length; i++) {
      value = value << 8 | (address[i] & 0xff);
    }
    return value;
  }
}
