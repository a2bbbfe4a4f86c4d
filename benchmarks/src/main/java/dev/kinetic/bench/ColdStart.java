package dev.kinetic.bench;

import dev.kinetic.javaruntime.JavaRuntimeLink;
import dev.kinetic.javaruntime.Listing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cold start: the time from launching a fresh JVM to the first successful response, measured from
 * outside the process as a caller sees it. Each target runs {@code runs} times in each JVM
 * configuration, beside the baseline ({@link BaselineHello}) in the same configuration and on the
 * same JDK, so the ratio says what the runtime costs and not how fast this machine is.
 *
 * <p>Usage: {@code ColdStart <repo-root> <java> <runs> [--write-docs]}. Run it with the same {@code
 * java} it measures: its version decides the kind of archive, and the section of docs/benchmarks.md
 * written ({@code coldstart-jdk<feature>}).
 */
public final class ColdStart {
  private static final long READY_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** How to start one target and the request that proves it answers. */
  record Target(String name, List<String> launch, Map<String, String> env, String request) {}

  /**
   * A set of JVM flags; "archive" adds a per-target class-data archive trained just before by one
   * run of the same target: JDK 25's AOT cache, or a dynamic CDS archive before JDK 25 (what local
   * mode's {@code ClassDataArchives} does).
   */
  record Config(String name, List<String> flags, boolean archive, boolean imageRuntime) {}

  /** One target in one configuration, with the java that runs it and its flags. */
  record Cell(Config config, Target target, String java, List<String> flags) {}

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath();
    String java = args[1];
    int runs = Integer.parseInt(args[2]);
    boolean writeDocs = args.length > 3 && args[3].equals("--write-docs");

    List<Target> targets = targets(root);
    String archive = Runtime.version().feature() >= 25 ? "AOT cache" : "CDS archive";
    List<Config> configs =
        List.of(
            new Config("default", List.of(), false, false),
            new Config("serial-gc", List.of("-XX:+UseSerialGC"), false, false),
            // The images' flags (BuildImages) with the archive local mode trains, on the JDK.
            new Config("serial-gc + " + archive, List.of("-XX:+UseSerialGC"), true, false),
            // How an image starts: its flags and archive on its own runtime, the same JDK linked
            // to the images' modules (no jdk.localedata: the locale services list 5 locales).
            new Config(
                "image: serial-gc + " + archive + " on the images' runtime",
                List.of(
                    "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"),
                true,
                true),
            // How local mode starts a function: C1 only, on the same linked runtime
            // (LinkedRuntime links it from the JDK that runs kinetic local).
            new Config(
                "local mode: serial-gc, C1 only + " + archive + " on the images' runtime",
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                true,
                true));
    Path work = root.resolve("benchmarks/target/coldstart");
    Files.createDirectories(work);
    String imageJava = imageRuntime(root, java, work.resolve("runtime"));

    // Every archive first, then each round starts every target in every configuration once: a
    // slow phase of the machine hits all cells alike, so a ratio across configurations (against
    // the default flags' baseline) compares starts measured in the same minutes.
    List<Cell> cells = new ArrayList<>();
    for (int c = 0; c < configs.size(); c++) {
      Config config = configs.get(c);
      String launcher = config.imageRuntime() ? imageJava : java;
      for (Target target : targets) {
        List<String> flags = new ArrayList<>(config.flags());
        if (config.archive()) {
          flags.add(train(launcher, flags, target, work.resolve(target.name() + "-" + c)));
        }
        cells.add(new Cell(config, target, launcher, flags));
      }
    }
    Map<Cell, List<Double>> millis = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (Cell cell : cells) {
        millis
            .computeIfAbsent(cell, k -> new ArrayList<>())
            .add(once(cell.java(), cell.flags(), cell.target(), work));
      }
    }
    Map<String, Map<String, Stats>> results = new LinkedHashMap<>();
    millis.forEach(
        (cell, values) -> {
          Stats stats = Stats.of(values);
          results
              .computeIfAbsent(cell.config().name(), k -> new LinkedHashMap<>())
              .put(cell.target().name(), stats);
          System.out.printf(
              Locale.ROOT,
              "%-50s %-11s min %6.1f  median %6.1f  p90 %6.1f ms%n",
              cell.config().name(),
              cell.target().name(),
              stats.min(),
              stats.median(),
              stats.p90());
        });
    String table = table(java, runs, results);
    String section = "coldstart-jdk" + Runtime.version().feature();
    Files.writeString(work.resolve(section + ".md"), table);
    System.out.println(table);
    if (writeDocs) {
      Path docs = root.resolve("docs/benchmarks.md");
      Files.writeString(docs, MarkdownSection.replace(Files.readString(docs), section, table));
      System.out.println("updated " + docs);
    }
  }

  static List<Target> targets(Path root) {
    String jar = "/target/function.jar";
    return List.of(
        new Target(
            "baseline",
            List.of(
                "-cp",
                root.resolve("benchmarks/target/benchmarks.jar").toString(),
                BaselineHello.class.getName()),
            Map.of(),
            get("/")),
        new Target(
            "hello",
            List.of("-jar", root + "/examples/hello" + jar),
            Map.of(),
            get("/?name=bench")),
        new Target(
            "json-echo",
            List.of("-jar", root + "/examples/json-echo" + jar),
            Map.of(),
            post("/", "application/json", "", "{\"message\":\"bench\"}")),
        new Target(
            "cloudevent",
            List.of("-jar", root + "/examples/cloudevent" + jar),
            Map.of(),
            post(
                "/",
                "application/json",
                "ce-specversion: 1.0\r\nce-id: b1\r\nce-source: /bench\r\n"
                    + "ce-type: dev.kinetic.example.order.created\r\n",
                "{\"orderId\":\"o-1\"}")),
        new Target("slow", List.of("-jar", root + "/examples/slow" + jar), Map.of(), get("/?ms=0")),
        new Target(
            "secrets",
            List.of("-jar", root + "/examples/secrets" + jar),
            Map.of("API_TOKEN", "bench-token"),
            "GET / HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer bench-token\r\n"
                + "Connection: close\r\n\r\n"));
  }

  /**
   * The Java runtime the images carry, made as JavaRuntimeRootfs makes it: the JDK of {@code java}
   * linked by its jlink to the modules in operator/images/java-modules, with its default class-data
   * archive dumped (a linked runtime has none). Returns its {@code bin/java}.
   */
  static String imageRuntime(Path root, String java, Path into)
      throws IOException, InterruptedException {
    deleteTree(into);
    return JavaRuntimeLink.link(
            Path.of(java).getParent().getParent(),
            Listing.entries(Files.readString(root.resolve("operator/images/java-modules"))),
            into,
            into.resolveSibling("runtime.log"),
            Duration.ofMinutes(5))
        .toString();
  }

  private static void deleteTree(Path tree) throws IOException {
    if (!Files.exists(tree)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(tree)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** One cold start, in milliseconds. */
  static double once(String java, List<String> flags, Target target, Path work)
      throws IOException, InterruptedException {
    int port = freePort();
    ProcessBuilder pb = command(java, flags, target, port);
    pb.redirectErrorStream(true);
    pb.redirectOutput(work.resolve(target.name() + ".log").toFile());
    long start = System.nanoTime();
    Process process = pb.start();
    try {
      while (true) {
        if (System.nanoTime() - start > READY_BOUND_NANOS) {
          throw new IllegalStateException(target.name() + " did not answer 200 within 30 s");
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(
              target.name() + " exited with " + process.exitValue() + "; see its log in " + work);
        }
        if (answersOk(port, target.request())) {
          return (System.nanoTime() - start) / 1e6;
        }
        // Every 1 ms: fine enough for figures of 100+ ms, and leaves the CPU to the process
        // measured.
        LockSupport.parkNanos(1_000_000);
      }
    } finally {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * Runs the target once writing its archive ({@code stem}.aot with -XX:AOTCacheOutput on JDK 25+,
   * else {@code stem}.jsa with -XX:ArchiveClassesAtExit), serves it some requests, stops it, and
   * returns the flag that uses the archive.
   */
  static String train(String java, List<String> flags, Target target, Path stem)
      throws IOException, InterruptedException {
    boolean aot = Runtime.version().feature() >= 25;
    Path cache = stem.resolveSibling(stem.getFileName() + (aot ? ".aot" : ".jsa"));
    Files.deleteIfExists(cache);
    List<String> trainingFlags = new ArrayList<>(flags);
    trainingFlags.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + cache);
    int port = freePort();
    ProcessBuilder pb = command(java, trainingFlags, target, port);
    pb.redirectErrorStream(true);
    pb.redirectOutput(cache.resolveSibling(target.name() + "-training.log").toFile());
    Process process = pb.start();
    long start = System.nanoTime();
    int served = 0;
    while (served < 50) {
      if (System.nanoTime() - start > READY_BOUND_NANOS) {
        process.destroyForcibly();
        throw new IllegalStateException(target.name() + " training run did not answer");
      }
      if (answersOk(port, target.request())) {
        served++;
      } else {
        LockSupport.parkNanos(1_000_000);
      }
    }
    process.destroy(); // SIGTERM: the JVM writes the cache as it exits
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(target.name() + " training run did not exit");
    }
    if (!Files.exists(cache)) {
      throw new IllegalStateException("no archive written to " + cache);
    }
    return (aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache;
  }

  private static ProcessBuilder command(String java, List<String> flags, Target target, int port) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(flags);
    command.addAll(target.launch());
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("KINETIC_METRICS_PORT", "0");
    pb.environment().put("KINETIC_FUNCTION", target.name());
    pb.environment().putAll(target.env());
    return pb;
  }

  /** True once the server accepted the connection and answered 200. */
  private static boolean answersOk(int port, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return statusLine.startsWith("HTTP/1.1 200");
    } catch (ConnectException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  }

  private static String post(String path, String contentType, String extraHeaders, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
        + contentType
        + "\r\nContent-Length: "
        + bytes.length
        + "\r\n"
        + extraHeaders
        + "\r\n"
        + body;
  }

  static String table(String java, int runs, Map<String, Map<String, Stats>> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Measured %s with `%s`, %d cold starts per cell (JDK: %s).%n%n",
            LocalDate.now(),
            "make bench-coldstart",
            runs,
            java));
    sb.append(
        "| JVM flags | target | min ms | median ms | p90 ms | median vs baseline, same flags"
            + " | median vs baseline, default flags |\n");
    sb.append("| --- | --- | --- | --- | --- | --- | --- |\n");
    double plain = results.values().iterator().next().get("baseline").median();
    results.forEach(
        (config, row) -> {
          double baseline = row.get("baseline").median();
          row.forEach(
              (target, s) ->
                  sb.append(
                      String.format(
                          Locale.ROOT,
                          "| %s | %s | %.1f | %.1f | %.1f | %.2f× | %.2f× |%n",
                          config,
                          target,
                          s.min(),
                          s.median(),
                          s.p90(),
                          s.median() / baseline,
                          s.median() / plain)));
        });
    return sb.toString();
  }
}
