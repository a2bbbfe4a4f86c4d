package dev.kinetic.it.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Stops the node and puts the host back as {@link HostState} read it before the start: pods removed
 * through the container runtime (so the CNI plugins release their addresses and network
 * namespaces), every program stopped, what they mounted unmounted, netfilter tables, routes, the
 * bridge, sysctls, cgroups and fixed folders restored. Every step runs even when one before it
 * failed; the result is what still differs from before, plus the steps that failed.
 */
final class NodeTeardown {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private NodeTeardown() {}

  static List<String> run(
      NodeBinaries bins,
      NodeFolders dirs,
      NodeNetwork net,
      HostState before,
      List<Daemon> daemons) {
    List<String> failures = new ArrayList<>();
    Daemon containerd =
        daemons.stream().filter(d -> d.name().equals("containerd")).findFirst().orElse(null);
    List<Daemon> newestFirst = new ArrayList<>(daemons);
    Collections.reverse(newestFirst);
    for (Daemon daemon : newestFirst) {
      if (daemon != containerd) {
        daemon.stop(GRACE);
      }
    }
    if (containerd != null && containerd.isAlive()) {
      step(
          failures,
          "remove the pods",
          () ->
              HostState.run(
                  List.of(
                      bins.node("crictl"),
                      "--runtime-endpoint",
                      "unix://" + dirs.containerdSocket(),
                      "--timeout",
                      "30s",
                      "rmp",
                      "--all",
                      "--force")));
      containerd.stop(GRACE);
    }
    step(failures, "delete runc containers", () -> deleteContainers(dirs));
    step(failures, "stop what is left of the node's programs", () -> killProcessesOf(dirs.root()));
    HostState now = HostState.read();
    step(failures, "unmount", () -> unmount(before, now));
    step(failures, "restore netfilter", () -> Netfilter.restore(before, HostState.read()));
    step(
        failures,
        "remove the route",
        () -> quietly(HostTools.IP, "route", "del", net.serviceCidr()));
    step(failures, "remove the bridge", () -> quietly(HostTools.IP, "link", "del", net.bridge()));
    step(failures, "restore sysctls", () -> restoreSysctls(before, HostState.read()));
    step(failures, "remove cgroups", () -> removeCgroups(before, HostState.read()));
    for (String path : HostState.read().paths()) {
      if (!before.paths().contains(path)) {
        step(failures, "remove " + path, () -> deleteTree(Path.of(path)));
      }
    }
    step(failures, "remove " + dirs.root(), () -> deleteTree(dirs.root()));
    List<String> leftovers = new ArrayList<>(before.differences(HostState.read()));
    leftovers.addAll(failures);
    return leftovers;
  }

  /**
   * Tears down every node folder under {@code parent} (only call it holding the node lock: then no
   * live node owns one) from the host state its run saved; returns what it found.
   */
  static List<String> stale(Path parent) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(parent)) {
      for (Path dir :
          dirs.filter(d -> d.getFileName().toString().startsWith(RealCluster.NODE_PREFIX))
              .toList()) {
        NodeFolders folders = new NodeFolders(dir);
        found.add(dir.toString());
        if (Files.exists(folders.hostBefore())) {
          List<String> left =
              run(
                  NodeBinaries.locate(),
                  folders,
                  NodeNetwork.DEFAULT,
                  HostState.load(folders.hostBefore()),
                  List.of());
          found.addAll(left.stream().map(l -> "  still: " + l).toList());
        } else {
          deleteTree(dir);
        }
      }
    }
    return found;
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void step(List<String> failures, String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      failures.add("teardown: cannot " + what + ": " + e.getMessage());
    }
  }

  /** Containers whose shim died before crictl could stop them. */
  private static void deleteContainers(NodeFolders dirs) {
    Path root = dirs.runcRoot().resolve("k8s.io");
    if (!Files.isDirectory(root)) {
      return;
    }
    String ids =
        HostState.run(List.of(HostTools.RUNC, "--root", root.toString(), "list", "--quiet"));
    for (String id : ids.split("\n")) {
      if (!id.isBlank()) {
        quietly(HostTools.RUNC, "--root", root.toString(), "delete", "--force", id.strip());
      }
    }
  }

  /**
   * Processes whose arguments name the node's folder: the shims that outlive containerd, and every
   * program of a node whose JVM died before its teardown.
   */
  private static void killProcessesOf(Path folder) {
    String name = folder.toString();
    ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info().arguments().stream()
                    .flatMap(Arrays::stream)
                    .anyMatch(a -> a.contains(name)))
        .forEach(
            p -> {
              p.destroyForcibly();
              p.onExit().orTimeout(GRACE.toSeconds(), TimeUnit.SECONDS).join();
            });
  }

  /**
   * What the node mounted (kubelet's volumes, network namespaces, overlay roots), deepest first.
   */
  private static void unmount(HostState before, HostState now) {
    List<String> mounts =
        now.mounts().stream()
            .filter(m -> !before.mounts().contains(m))
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    for (String mount : mounts) {
      if (!quietly("/bin/umount", mount)) {
        quietly("/bin/umount", "--lazy", mount);
      }
    }
  }

  private static void restoreSysctls(HostState before, HostState now) {
    before
        .sysctls()
        .forEach(
            (key, value) -> {
              if (!value.equals(now.sysctls().get(key))) {
                NetworkSetup.sysctl(key, value);
              }
            });
  }

  /** cgroup folders are removed with rmdir, children first; their files go with them. */
  private static void removeCgroups(HostState before, HostState now) throws IOException {
    for (String cgroup : now.cgroups()) {
      if (before.cgroups().contains(cgroup)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(Path.of(cgroup))) {
        for (Path dir :
            walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(dir);
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Runs a command whose failure is expected at times (already gone); true when it succeeded. */
  private static boolean quietly(String... command) {
    try {
      HostState.run(List.of(command));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
