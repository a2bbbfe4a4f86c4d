package dev.kinetic.it.node;

import dev.kinetic.images.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The parts of the host a Kubernetes node changes, read at one moment: mounts, network links and
 * routes, netfilter tables, the sysctls kubelet and kube-proxy set, the fixed folders kubelet,
 * containerd and the CNI plugins write whatever they are told, the cgroups of pods, and processes
 * left in them. The node reads it before it starts and restores it when it stops; {@link
 * #differences} is what a test asserts empty after the teardown.
 */
record HostState(
    Set<String> mounts,
    Set<String> links,
    Set<String> routes,
    Map<String, String> netfilterTables,
    Map<String, String> sysctls,
    Set<String> paths,
    Set<String> cgroups,
    Set<String> podProcesses) {

  static final List<String> SYSCTLS =
      List.of(
          "net/ipv4/ip_forward",
          "net/bridge/bridge-nf-call-iptables",
          "net/bridge/bridge-nf-call-ip6tables",
          "net/ipv4/conf/all/route_localnet",
          "vm/overcommit_memory",
          "vm/panic_on_oom",
          "kernel/panic",
          "kernel/panic_on_oops",
          "kernel/keys/root_maxkeys",
          "kernel/keys/root_maxbytes");

  /** Written by kubelet, containerd, runc and the CNI plugins even when given other folders. */
  static final List<String> FIXED_PATHS =
      List.of(
          "/var/lib/kubelet",
          "/var/log/pods",
          "/var/log/containers",
          "/var/lib/cni",
          "/var/lib/containerd",
          "/run/containerd",
          "/run/netns",
          "/run/nri",
          "/run/runc",
          "/etc/cni",
          "/opt/cni",
          "/run/kubernetes",
          "/etc/kubernetes",
          "/var/lib/kube-proxy");

  /** The cgroups kubelet (kubepods) and containerd (k8s.io) make in every hierarchy. */
  static final List<String> CGROUP_NAMES = List.of("kubepods", "k8s.io");

  static HostState read() {
    return new HostState(
        readMounts(),
        lines(List.of(HostTools.IP, "-o", "link", "show"), 1),
        new TreeSet<>(lines(List.of(HostTools.IP, "route", "show"), -1)),
        readNetfilterTables(),
        readSysctls(),
        existing(FIXED_PATHS),
        readCgroups(),
        readPodProcesses());
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Kept in the node's folder, so a later run can restore the host if this one never could. */
  void save(Path file) {
    try {
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static HostState load(Path file) {
    try {
      return JSON.readValue(file.toFile(), HostState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** What {@code after} has that this state had not, or lacks that this had, one line each. */
  List<String> differences(HostState after) {
    List<String> out = new ArrayList<>();
    diff(out, "mount", mounts, after.mounts);
    diff(out, "link", links, after.links);
    diff(out, "route", routes, after.routes);
    diff(out, "netfilter table", netfilterTables.keySet(), after.netfilterTables.keySet());
    for (String table : netfilterTables.keySet()) {
      if (after.netfilterTables.containsKey(table)
          && !netfilterTables.get(table).equals(after.netfilterTables.get(table))) {
        out.add("netfilter table changed: " + table);
      }
    }
    sysctls.forEach(
        (key, value) -> {
          if (!value.equals(after.sysctls.get(key))) {
            out.add("sysctl " + key + ": " + value + " -> " + after.sysctls.get(key));
          }
        });
    diff(out, "path", paths, after.paths);
    diff(out, "cgroup", cgroups, after.cgroups);
    diff(out, "process in a pod cgroup", podProcesses, after.podProcesses);
    return out;
  }

  private static void diff(List<String> out, String what, Set<String> before, Set<String> after) {
    for (String s : after) {
      if (!before.contains(s)) {
        out.add("new " + what + ": " + s);
      }
    }
    for (String s : before) {
      if (!after.contains(s)) {
        out.add("gone " + what + ": " + s);
      }
    }
  }

  /** Mount points, from this process's view (the node shares the host's mount namespace). */
  private static Set<String> readMounts() {
    Set<String> out = new TreeSet<>();
    for (String line : readLines(Path.of("/proc/self/mountinfo"))) {
      out.add(line.split(" ")[4]);
    }
    return out;
  }

  /** Field {@code field} of each line (-1: the whole line), e.g. a link's name. */
  private static Set<String> lines(List<String> command, int field) {
    Set<String> out = new TreeSet<>();
    for (String line : run(command).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (field < 0) {
        out.add(line.strip());
      } else {
        String name = line.split("\\s+")[field];
        out.add(name.replaceAll("@.*", "").replace(":", ""));
      }
    }
    return out;
  }

  /** Each nftables table ("family name") with its full text (iptables here is nft-based). */
  private static Map<String, String> readNetfilterTables() {
    Map<String, String> out = new TreeMap<>();
    for (String line : run(List.of(Netfilter.NFT, "list", "tables")).split("\n")) {
      if (line.startsWith("table ")) {
        String table = line.substring("table ".length()).strip();
        out.put(table, Netfilter.list(table));
      }
    }
    return out;
  }

  private static Map<String, String> readSysctls() {
    Map<String, String> out = new TreeMap<>();
    for (String key : SYSCTLS) {
      Path file = Path.of("/proc/sys").resolve(key);
      if (Files.exists(file)) {
        try {
          out.put(key, Files.readString(file).strip());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  private static Set<String> existing(List<String> paths) {
    Set<String> out = new TreeSet<>();
    for (String p : paths) {
      if (Files.exists(Path.of(p))) {
        out.add(p);
      }
    }
    return out;
  }

  /** Every cgroup named in {@link #CGROUP_NAMES} directly under a hierarchy's root. */
  private static Set<String> readCgroups() {
    Set<String> out = new TreeSet<>();
    for (Path hierarchy : cgroupHierarchies()) {
      for (String name : CGROUP_NAMES) {
        if (Files.isDirectory(hierarchy.resolve(name))) {
          out.add(hierarchy.resolve(name).toString());
        }
      }
    }
    return out;
  }

  static List<Path> cgroupHierarchies() {
    List<Path> out = new ArrayList<>();
    for (String line : readLines(Path.of("/proc/self/mountinfo"))) {
      String[] parts = line.split(" - ", 2);
      if (parts.length == 2
          && (parts[1].startsWith("cgroup ") || parts[1].startsWith("cgroup2 "))) {
        out.add(Path.of(parts[0].split(" ")[4]));
      }
    }
    return out;
  }

  /** Processes in a pod's cgroup: containers that outlived their node. */
  private static Set<String> readPodProcesses() {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String pid = proc.getFileName().toString();
        if (!pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cgroup = Files.readString(proc.resolve("cgroup"));
          if (cgroup.contains("/kubepods")) {
            out.add(pid + " " + Files.readString(proc.resolve("comm")).strip());
          }
        } catch (IOException gone) {
          // The process ended between the listing and the read: nothing is left of it.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String run(List<String> command) {
    try {
      return Command.succeed(command, Duration.ofSeconds(30));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
