package dev.kinetic.it.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's network on the host: the pods' bridge with the node's address, the Service range
 * routed onto it, forwarding on (bridged traffic through netfilter, so kube-proxy's rules see a pod
 * calling a Service served by a pod on the same bridge), and a filter that drops whatever a pod
 * sends towards any other interface: nothing on the test node leaves the machine. {@link
 * NodeTeardown} takes it all down.
 */
final class NetworkSetup {
  /** Its own nftables table, so the teardown removes it whole. */
  static final String GUARD_TABLE = "inet kinetic-node";

  private NetworkSetup() {}

  static void up(NodeNetwork net) {
    ip("link", "add", net.bridge(), "type", "bridge");
    ip("addr", "add", net.nodeAddress(), "dev", net.bridge());
    ip("link", "set", net.bridge(), "up");
    ip("route", "add", net.serviceCidr(), "dev", net.bridge());
    sysctl("net/ipv4/ip_forward", "1");
    sysctl("net/bridge/bridge-nf-call-iptables", "1");
    String guard =
        """
        table %s {
          chain forward {
            type filter hook forward priority filter; policy accept;
            iifname "%s" oifname != "%s" drop
          }
        }
        """
            .formatted(GUARD_TABLE, net.bridge(), net.bridge());
    Netfilter.load(guard);
  }

  static void sysctl(String key, String value) {
    try {
      Files.writeString(Path.of("/proc/sys").resolve(key), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set " + key + " to " + value, e);
    }
  }

  private static void ip(String... args) {
    List<String> command = new ArrayList<>(List.of(HostTools.IP));
    command.addAll(List.of(args));
    HostState.run(command);
  }
}
