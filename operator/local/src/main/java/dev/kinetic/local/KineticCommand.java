package dev.kinetic.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.activator.ActivatorSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinetic local}: the platform on this machine. */
@Command(
    name = "kinetic",
    mixinStandardHelpOptions = true,
    versionProvider = KineticCommand.Version.class,
    subcommands = {KineticCommand.Local.class, KineticCommand.Status.class},
    description = "Kinetic, a Kubernetes-native functions platform.")
public final class KineticCommand {
  public static void main(String[] args) {
    System.exit(new CommandLine(new KineticCommand()).execute(args));
  }

  /** The version the jar's manifest gives (Maven's project version), for {@code kinetic -V}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KineticCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kinetic " + (version == null ? "(not from a packaged jar)" : version)};
    }
  }

  /** Prints what a running {@code kinetic local} serves, from its status and stats endpoints. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      versionProvider = KineticCommand.Version.class,
      description =
          "Show each local function's URL, processes, traffic and Ready condition, each"
              + " Trigger's condition, counts and next fire time, and every refused manifest.")
  static final class Status implements Callable<Integer> {
    @Option(names = "--admin-port", defaultValue = "8081", description = "Its stats port.")
    int adminPort;

    @Option(names = "--status-port", defaultValue = "8082", description = "Its status port.")
    int statusPort;

    @Override
    public Integer call() throws Exception {
      JsonNode status;
      JsonNode stats;
      try {
        status = get(statusPort, "/status");
        stats = get(adminPort, "/stats");
      } catch (IOException e) {
        System.out.println(
            "no kinetic local answers on ports "
                + statusPort
                + "/"
                + adminPort
                + " ("
                + reason(e)
                + ")");
        return 1;
      }
      StatusView.lines(status, stats).forEach(System.out::println);
      return 0;
    }

    /**
     * The first message in the exception's chain: the JDK's HTTP client throws a ConnectException
     * without one when nothing listens, so the chain's types stand in for it.
     */
    static String reason(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t.getMessage() != null && !t.getMessage().isBlank()) {
          return t.getMessage();
        }
      }
      return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static JsonNode get(int port, String path) throws IOException, InterruptedException {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return new ObjectMapper().readTree(response.body());
    }
  }

  /** Runs Function manifests as local processes behind the activator and the autoscaler. */
  @Command(
      name = "local",
      mixinStandardHelpOptions = true,
      versionProvider = KineticCommand.Version.class,
      description = "Run Functions locally.")
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
        names = "--status-port",
        defaultValue = "8082",
        description = "Status page, read by kinetic status (default: ${DEFAULT-VALUE}).")
    int statusPort;

    @Option(
        names = "--secrets",
        defaultValue = ".kinetic/secrets.properties",
        description =
            "Values for secretKeyRef, envFrom and Secret volumes, as <secret>/<key>=<value>"
                + " (default: ${DEFAULT-VALUE}).")
    Path secrets;

    @Option(
        names = "--config-maps",
        defaultValue = ".kinetic/configmaps.properties",
        description =
            "Values for configMapKeyRef, envFrom and ConfigMap volumes, as"
                + " <configmap>/<key>=<value> (default: ${DEFAULT-VALUE}).")
    Path configMaps;

    @Option(
        names = "--archives",
        defaultValue = ".kinetic/archives",
        description =
            "Where the functions' class-data archives are kept: each jar's first process trains"
                + " one, later ones start faster with it (default: ${DEFAULT-VALUE}).")
    Path archives;

    @Option(
        names = "--no-archives",
        description = "Start every function process without a class-data archive.")
    boolean noArchives;

    @Option(
        names = "--runtime",
        defaultValue = ".kinetic/runtime",
        description =
            "Where the images' Java runtime is linked from this JDK, once, to start functions on"
                + " (default: ${DEFAULT-VALUE}).")
    Path runtime;

    @Option(
        names = "--whole-jdk",
        description = "Start functions on this whole JDK instead of the images' linked runtime.")
    boolean wholeJdk;

    @Option(
        names = "--access-log",
        description =
            "Print a JSON line per request: function, method, path without the query, status,"
                + " duration, request id, pod (KINETIC_ACTIVATOR_ACCESS_LOG=json does the same).")
    boolean accessLog;

    @Override
    public Integer call() throws Exception {
      Path jdk = Path.of(System.getProperty("java.home"));
      String java =
          wholeJdk
              ? jdk.resolve("bin").resolve("java").toString()
              : LinkedRuntime.java(runtime, jdk, LinkedRuntime.imageModules(), System.out::println);
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
              loaded,
              // The activator's KINETIC_ACTIVATOR_* settings (docs/activator.md) apply here too.
              ActivatorSettings.fromEnv(activatorEnv()).withPorts(port, adminPort),
              new LocalObjects(readEntries(secrets), readEntries(configMaps)),
              noArchives ? ClassDataArchives.NONE : ClassDataArchives.in(archives, java),
              Clock.systemUTC(),
              System.out);
      platform.watch(dir, java, Duration.ofSeconds(2));
      CountDownLatch stopped = new CountDownLatch(1);
      onStopSignals(platform, stopped);
      Table urls = new Table();
      for (var function : loaded.functions()) {
        var key = function.key();
        urls.row(
            key.toString(),
            "http://localhost:" + platform.port() + "/" + key.namespace() + "/" + key.name() + "/",
            "(or Host: " + key.name() + "." + key.namespace() + ".fn.local)");
      }
      urls.lines().forEach(System.out::println);
      int status = platform.serveStatus(statusPort);
      System.out.printf(
          "status: http://localhost:%d/status (or: kinetic status)   stats:"
              + " http://localhost:%d/stats   Ctrl-C stops everything%n",
          status, platform.adminPort());
      stopped.await();
      return 0;
    }

    /** The environment, with the access log on when --access-log asks for it. */
    private Map<String, String> activatorEnv() {
      Map<String, String> env = new HashMap<>(System.getenv());
      if (accessLog) {
        env.put("KINETIC_ACTIVATOR_ACCESS_LOG", "json");
      }
      return env;
    }

    static Map<String, String> readEntries(Path file) throws IOException {
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

  /**
   * Ctrl-C (SIGINT), SIGTERM or SIGHUP (the terminal closed) drains: every request waiting or in
   * flight is answered, processes keep running (and start) for them until the drain deadline, then
   * stop. A second signal stops at once, still answering what is pending with 503. Handled as
   * signals rather than a shutdown hook, since the JVM ignores a second Ctrl-C once its shutdown
   * has begun. Without the SIGHUP handler, closing the terminal ended the JVM at once and left
   * every function process running. A signal ignored when the JVM started (SIGHUP under nohup,
   * SIGINT in a script's background job) stays ignored: the JVM installs no handler for it.
   */
  private static void onStopSignals(LocalPlatform platform, CountDownLatch stopped) {
    AtomicBoolean stopping = new AtomicBoolean();
    sun.misc.SignalHandler handler =
        signal -> {
          if (stopping.compareAndSet(false, true)) {
            System.out.println(
                "stopping: answering what waits, then draining every function (again to stop now)");
            Thread drain =
                new Thread(
                    () -> {
                      platform.close();
                      stopped.countDown();
                    },
                    "kinetic-stop");
            drain.start();
          } else {
            System.out.println("stopping now: what still waits is answered 503");
            platform.stopNow();
          }
        };
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
    sun.misc.Signal.handle(new sun.misc.Signal("HUP"), handler);
  }
}
