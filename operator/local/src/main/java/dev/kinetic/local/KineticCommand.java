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
    subcommands = {KineticCommand.Local.class},
    description = "Kinetic, a Kubernetes-native functions platform.")
public final class KineticCommand {
  public static void main(String[] args) {
    System.exit(new CommandLine(new KineticCommand()).execute(args));
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
