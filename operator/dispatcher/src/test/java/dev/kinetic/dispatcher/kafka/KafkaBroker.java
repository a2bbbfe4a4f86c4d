package dev.kinetic.dispatcher.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one process), run from the Apache
 * Kafka jars on the test class path (Maven Central's {@code org.apache.kafka:kafka_2.13}): its
 * storage formatted, started on free ports, stoppable with SIGKILL and startable again on the same
 * data, as a broker that crashed and came back.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** The one user of the SASL listener, SCRAM-SHA-512. */
  public static final String USER = "orders";

  public static final String PASSWORD = "orders-secret";

  private final Path dir;
  private final String host;
  private final int port;
  private final int saslPort;
  private final Path properties;
  private final Path log;
  private Process process;

  private KafkaBroker(Path dir, String host, int port, int saslPort, int controllerPort)
      throws IOException {
    this.dir = dir;
    this.host = host;
    this.port = port;
    this.saslPort = saslPort;
    this.properties = dir.resolve("server.properties");
    this.log = dir.resolve("broker.log");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://"
                + host
                + ":"
                + port
                + ",SASL_PLAINTEXT://"
                + host
                + ":"
                + saslPort
                + ",CONTROLLER://127.0.0.1:"
                + controllerPort,
            "advertised.listeners=PLAINTEXT://"
                + host
                + ":"
                + port
                + ",SASL_PLAINTEXT://"
                + host
                + ":"
                + saslPort,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,"
                + "CONTROLLER:PLAINTEXT",
            "sasl.enabled.mechanisms=SCRAM-SHA-512",
            "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
                + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "inter.broker.listener.name=PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=3",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
  }

  /** Formats a new broker's storage and starts it. */
  public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
    return start(dir, "127.0.0.1");
  }

  /**
   * A broker whose clients' listeners are on {@code host}: the node's address, for pods to reach
   * it.
   */
  public static KafkaBroker start(Path dir, String host) throws IOException, InterruptedException {
    KafkaBroker broker = new KafkaBroker(dir, host, freePort(), freePort(), freePort());
    broker.format();
    broker.startProcess();
    return broker;
  }

  /** The broker's log so far, for a failing test's story. */
  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  /** The listener that wants SCRAM-SHA-512 as {@link #USER}. */
  public String saslBootstrapServers() {
    return host + ":" + saslPort;
  }

  /** SIGKILL: no clean shutdown, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts again on the same data and ports. */
  public void restart() throws IOException, InterruptedException {
    startProcess();
  }

  private void format() throws IOException, InterruptedException {
    Process format =
        new ProcessBuilder(
                java(
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    clusterId(),
                    "-c",
                    properties.toString(),
                    "--standalone",
                    "--add-scram",
                    "SCRAM-SHA-512=[name=" + USER + ",password=" + PASSWORD + "]"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("format.log").toFile())
            .start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException(
          "kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
    }
  }

  private void startProcess() throws IOException, InterruptedException {
    process =
        new ProcessBuilder(java("kafka.Kafka", properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the broker exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 200);
        return;
      } catch (IOException notYet) {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalStateException("the broker did not listen within " + START_TIMEOUT);
  }

  private static List<String> java(String main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    // Surefire runs tests from a manifest-only jar; the real class path is in this property.
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(main);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * A KRaft cluster id from Kafka's own generator, which never makes one containing '-': an id of
   * our own (URL-safe base64 of a UUID) began with '-' about once in 64 formats, and the storage
   * tool then took it for an option ("argument --cluster-id/-t: expected one argument").
   */
  private static String clusterId() {
    return Uuid.randomUuid().toString();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
