package dev.kinetic.activator;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged activator ({@code target/activator.jar}) as its own process, as a user runs it. */
final class ActivatorProcess implements AutoCloseable {
  final Process process;
  final int port;
  final int adminPort;
  final Path log;

  private ActivatorProcess(Process process, int port, int adminPort, Path log) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.log = log;
  }

  /** Starts it with these JVM options and settings, and waits until it answers /healthz. */
  static ActivatorProcess start(List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    int port = freePort();
    int adminPort = freePort();
    Path log = Files.createTempFile(Path.of("target"), "activator-process", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(Path.of("target", "activator.jar").toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("KINETIC_ACTIVATOR_PORT", Integer.toString(port));
    pb.environment().put("KINETIC_ACTIVATOR_ADMIN_PORT", Integer.toString(adminPort));
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    ActivatorProcess activator = new ActivatorProcess(pb.start(), port, adminPort, log);
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(activator.admin("/healthz")).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
    return activator;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + adminPort + path);
  }

  /** SIGTERM, what a kubelet sends a container being stopped. */
  void terminate() {
    process.destroy();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
