package dev.kinetic.it;

import dev.kinetic.it.node.RealCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** kubectl and helm as a user runs them, against the real node; bounded in time. */
final class NodeCli {
  private static final Duration LIMIT = Duration.ofMinutes(6);

  private NodeCli() {}

  /** Runs the tool to its end; fails with its output when it does not succeed. */
  static String run(RealCluster cluster, String tool, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(cluster.tool(tool).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish in " + LIMIT);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + text);
    }
    return text;
  }

  /** kubectl apply of a manifest given as text, in {@code namespace}. */
  static void apply(RealCluster cluster, String namespace, String manifest) throws Exception {
    Path file = Files.createTempFile("manifest-", ".yaml");
    try {
      Files.writeString(file, manifest);
      run(cluster, "kubectl", "--namespace", namespace, "apply", "-f", file.toString());
    } finally {
      Files.delete(file);
    }
  }

  /** helm install of helm/kinetic into a namespace enforcing Pod Security "restricted". */
  static String installPlatform(RealCluster cluster, String namespace, String... sets)
      throws Exception {
    run(cluster, "kubectl", "create", "namespace", namespace);
    run(
        cluster,
        "kubectl",
        "label",
        "namespace",
        namespace,
        "pod-security.kubernetes.io/enforce=restricted",
        "pod-security.kubernetes.io/warn=restricted");
    List<String> args =
        new ArrayList<>(
            List.of(
                "install",
                "kinetic",
                Repository.root().resolve("helm/kinetic").toString(),
                "--namespace",
                namespace,
                "--set",
                "image.pullPolicy=Never",
                "--wait",
                "--timeout",
                "5m"));
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    return run(cluster, "helm", args.toArray(String[]::new));
  }
}
