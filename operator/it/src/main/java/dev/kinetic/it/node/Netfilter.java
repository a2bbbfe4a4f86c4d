package dev.kinetic.it.node;

import java.util.List;

/**
 * The host's packet filter as nftables sees it. kubelet and kube-proxy write it through Debian's
 * iptables, which is nftables-based; restoring whole tables puts back exactly what was there,
 * whichever chains and rules the node's programs added.
 */
final class Netfilter {
  static final String NFT = HostTools.NFT;

  private Netfilter() {}

  static String list(String table) {
    return HostState.run(List.of(NFT, "list", "table", split(table)[0], split(table)[1]));
  }

  /** Tables the node made are deleted; tables it changed are put back as they were. */
  static void restore(HostState before, HostState now) {
    for (String table : now.netfilterTables().keySet()) {
      String was = before.netfilterTables().get(table);
      if (was == null) {
        HostState.run(List.of(NFT, "delete", "table", split(table)[0], split(table)[1]));
      } else if (!was.equals(now.netfilterTables().get(table))) {
        HostState.run(List.of(NFT, "delete", "table", split(table)[0], split(table)[1]));
        load(was);
      }
    }
  }

  /** Applies an nftables script (what {@code nft list} prints, or a table of the node's own). */
  static void load(String script) {
    HostState.run(List.of("/bin/sh", "-c", "printf '%s' \"$0\" | " + NFT + " -f -", script));
  }

  private static String[] split(String table) {
    return table.split(" ", 2);
  }
}
