package dev.kinetic.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator (quarkus-app) as a separate process in its production profile: server-side
 * apply and leader election on, authenticated by the kubeconfig it is given.
 */
public final class OperatorProcess implements AutoCloseable {
  /** How long the operator may take to stop after SIGTERM before it is killed. */
  private static final long STOP_SECONDS = 20;

  private final Process process;
  private final Path log;
  private final Path kubeconfig;
  private final int httpPort;

  private OperatorProcess(Process process, Path log, Path kubeconfig, int httpPort) {
    this.process = process;
    this.log = log;
    this.kubeconfig = kubeconfig;
    this.httpPort = httpPort;
  }

  /**
   * @param log where its output goes; null to share this process's console
   */
  public static OperatorProcess start(String kubeconfig, String namespace, Path log) {
    try {
      Path config = Files.createTempFile("kinetic-operator-", ".kubeconfig");
      Files.writeString(config, kubeconfig);
      int port = freePort();
      ProcessBuilder builder =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx512m",
              "-jar",
              Repository.operatorJar().toString());
      builder.environment().put("KUBECONFIG", config.toString());
      builder.environment().put("KINETIC_OPERATOR_NAMESPACE", namespace);
      builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
      builder.redirectErrorStream(true);
      if (log == null) {
        builder.inheritIO();
      } else {
        builder.redirectOutput(log.toFile());
      }
      return new OperatorProcess(builder.start(), log, config, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return process.pid();
  }

  /** The operator's output so far (empty when it shares the console). */
  public String output() {
    try {
      return log == null ? "" : Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    // Its credentials, which would otherwise outlive the test cluster in /tmp.
    try {
      Files.deleteIfExists(kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
