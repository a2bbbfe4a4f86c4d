package dev.kinetic.local;

import dev.kinetic.activator.ActivatorSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinetic local}: the platform on this machine. */
@Command(
    name = "kinetic",
    mixinStandardHelpOptions = true,
    subcommands = {KineticCommand.Local.class, KineticCommand.Status.class},
    description = "Kinetic, a Kubernetes-native functions platform.")
public final class KineticCommand {
  public static void main(String[] args) {
    System.exit(new CommandLine(new KineticCommand()).execute(args));
  }

  /** Prints what a running {@code kinetic local} serves, from its stats endpoint. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show each local function's URL, ready processes and traffic.")
  static final class Status implements Callable<Integer> {
    @Option(
        names = {"-p", "--port"},
        defaultValue = "8080",
        description = "The activator's port.")
    int port;

    @Option(names = "--admin-port", defaultValue = "8081", description = "Its stats port.")
    int adminPort;

    @Override
    public Integer call() throws Exception {
      java.net.http.HttpResponse<String> response;
      try {
        response =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + adminPort + "/stats"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        System.out.println(
            "no kinetic local answers on port " + adminPort + " (" + e.getMessage() + ")");
        return 1;
      }
      var functions =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(response.body())
              .get("functions");
      System.out.printf(
          "%-28s %-40s %6s %9s %7s %8s%n",
          "FUNCTION", "URL", "READY", "IN-FLIGHT", "QUEUED", "AVG-1S");
      for (var f : functions) {
        String ns = f.get("namespace").asText();
        String name = f.get("name").asText();
        System.out.printf(
            "%-28s %-40s %6d %9d %7d %8.1f%n",
            ns + "/" + name,
            "http://localhost:" + port + "/" + ns + "/" + name + "/",
            f.get("readyPods").asInt(),
            f.get("inFlight").asInt(),
            f.get("queued").asInt(),
            f.get("averageConcurrency").asDouble());
      }
      return 0;
    }
  }

  /** Runs Function manifests as local processes behind the activator and the autoscaler. */
  @Command(name = "local", mixinStandardHelpOptions = true, description = "Run Functions locally.")
  static final class Local implements Callable<Integer> {
    @Option(
        names = {"-d", "--dir"},
        defaultValue = "examples",
        description = "Folder of Function manifests (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
        names = {"-p", "--port"},
        defaultValue = "8080",
        description = "The activator's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--admin-port",
        defaultValue = "8081",
        description = "Stats and metrics port (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(
        names = "--secrets",
        defaultValue = ".kinetic/secrets.properties",
        description =
            "Values for secretKeyRef, as <secret>/<key>=<value> (default: ${DEFAULT-VALUE}).")
    Path secrets;

    @Override
    public Integer call() throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Manifests.Loaded loaded = Manifests.load(dir, java);
      for (String problem : loaded.problems()) {
        System.out.println("refused " + problem);
      }
      if (loaded.functions().isEmpty()) {
        System.out.println("no Function to run in " + dir);
        return 1;
      }
      LocalPlatform platform =
          LocalPlatform.start(
              loaded.functions(),
              ActivatorSettings.defaults().withPorts(port, adminPort),
              readSecrets(secrets),
              Clock.systemUTC(),
              System.out);
      platform.watch(dir, java, Duration.ofSeconds(2));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("stopping: draining every function");
                    platform.close();
                    stopped.countDown();
                  }));
      for (var function : loaded.functions()) {
        var key = function.key();
        System.out.printf(
            "%-24s http://localhost:%d/%s/%s/   (or Host: %s.%s.fn.local)%n",
            key, platform.port(), key.namespace(), key.name(), key.name(), key.namespace());
      }
      System.out.printf(
          "stats: http://localhost:%d/stats   Ctrl-C stops everything%n", platform.adminPort());
      stopped.await();
      return 0;
    }

    static Map<String, String> readSecrets(Path file) throws IOException {
      Map<String, String> values = new HashMap<>();
      if (Files.exists(file)) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
          properties.load(in);
        }
        properties.forEach((k, v) -> values.put(k.toString(), v.toString()));
      }
      return values;
    }
  }
}
