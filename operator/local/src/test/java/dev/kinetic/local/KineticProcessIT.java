package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.activator.ActivatorProbe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinetic local} as the user runs it — the packaged {@code kinetic.jar} in its own process —
 * stopped by a signal while 40 requests to {@code slow?ms=3000} wait at zero pods. Every request
 * gets an HTTP answer, the program exits, and no function process is left.
 */
class KineticProcessIT {
  private static final Path ROOT = Path.of(System.getProperty("kinetic.root", "../.."));
  private static final Path RUNTIME = Path.of("target", "linked-runtime").toAbsolutePath();
  private static final Pattern URL = Pattern.compile("http://localhost:(\\d+)/default/slow/");
  private static final Pattern STATS = Pattern.compile("http://localhost:(\\d+)/stats");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Process kinetic;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private int port;
  private int adminPort;

  @AfterEach
  void stop() throws Exception {
    // What the program printed, for a failure's reader.
    output.forEach(line -> System.out.println("kinetic: " + line));
    if (kinetic != null && kinetic.isAlive()) {
      kinetic.destroyForcibly();
    }
  }

  @Test
  void sigtermWithFortyRequestsWaitingAtZeroServesEveryOneAndLeavesNoProcess() throws Exception {
    start(Map.of());
    List<CompletableFuture<HttpResponse<String>>> answers = sendFortyAndAwaitThemWaiting();

    long signalled = System.nanoTime();
    kinetic.destroy(); // SIGTERM

    // 4 pods x 10 slots take all 40 well within the drain deadline (30 s): every one is served.
    Map<Integer, Long> statuses = ActivatorProbe.statuses(answers, Duration.ofSeconds(60));
    System.out.println("kinetic local SIGTERMed with 40 requests waiting: " + statuses);
    assertThat(statuses).isEqualTo(Map.of(200, 40L));
    assertThat(kinetic.waitFor(40, TimeUnit.SECONDS)).as("exited within the deadline").isTrue();
    System.out.printf(
        "exited %d ms after SIGTERM, status %d%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled), kinetic.exitValue());
    assertThat(functionProcesses()).as("function processes left").isEmpty();
  }

  /** Closing the terminal (SIGHUP) drains as Ctrl-C does: it ended the JVM and left processes. */
  @Test
  void sighupFromAClosedTerminalDrainsLikeCtrlCAndLeavesNoProcess() throws Exception {
    start(Map.of());
    List<CompletableFuture<HttpResponse<String>>> answers = sendFortyAndAwaitThemWaiting();

    signal("HUP");

    Map<Integer, Long> statuses = ActivatorProbe.statuses(answers, Duration.ofSeconds(60));
    assertThat(statuses).isEqualTo(Map.of(200, 40L));
    assertThat(kinetic.waitFor(40, TimeUnit.SECONDS)).as("exited within the deadline").isTrue();
    assertThat(printed("stopping:")).isTrue();
    assertThat(functionProcesses()).as("function processes left").isEmpty();
  }

  /**
   * kill -9 cannot be handled by the program, so the function runtime watches it: its processes
   * stop themselves instead of serving nobody for ever.
   */
  @Test
  void killedOutrightItsFunctionProcessesStopThemselves() throws Exception {
    start(Map.of());
    HttpResponse<String> served =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/default/slow/?ms=0"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(functionProcesses()).as("a process serves").isNotEmpty();

    kinetic.destroyForcibly(); // SIGKILL
    assertThat(kinetic.waitFor(10, TimeUnit.SECONDS)).isTrue();

    await().atMost(Duration.ofSeconds(30)).until(() -> functionProcesses().isEmpty());
  }

  @Test
  void aSecondSignalStopsAtOnceAndStillAnswersEveryRequest() throws Exception {
    // A deadline far beyond the test: only the second signal can end the drain in time.
    start(Map.of("KINETIC_ACTIVATOR_DRAIN_TIMEOUT_MS", "300000"));
    List<CompletableFuture<HttpResponse<String>>> answers = sendFortyAndAwaitThemWaiting();

    signal("INT");
    await().atMost(Duration.ofSeconds(10)).until(() -> printed("stopping:"));
    signal("INT");

    Map<Integer, Long> statuses = ActivatorProbe.statuses(answers, Duration.ofSeconds(60));
    System.out.println("kinetic local stopped by two Ctrl-C with 40 requests waiting: " + statuses);
    assertThat(statuses.keySet()).as("only served or told to retry").isSubsetOf(200, 503);
    assertThat(statuses.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(40);
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get();
      if (response.statusCode() == 503) {
        assertThat(JSON.readTree(response.body()).path("error").asText())
            .isEqualTo("shutting_down");
      }
    }
    assertThat(kinetic.waitFor(40, TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(functionProcesses()).as("function processes left").isEmpty();
  }

  @Test
  void theSecondRunOfAFunctionStartsFromTheArchiveItsFirstRunTrained() throws Exception {
    start(Map.of());
    assertThat(get("/default/slow/?ms=0").statusCode()).isEqualTo(200);
    signal("TERM");
    assertThat(kinetic.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // The first process wrote the archive as it exited, and nothing else is left.
    String kind = Runtime.version().feature() >= 25 ? ".aot" : ".jsa";
    List<Path> archives;
    try (var files = Files.list(dir.resolve("archives"))) {
      archives = files.toList();
    }
    assertThat(archives).singleElement().asString().endsWith(kind);
    Path archive = archives.get(0);

    output.clear();
    start(Map.of());
    assertThat(get("/default/slow/?ms=0").statusCode()).isEqualTo(200);
    String flag = (kind.equals(".aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive;
    assertThat(functionProcesses()).singleElement().asString().contains(flag);
    // On the images' runtime, linked from this JDK under --runtime, whose archive it is.
    String java = functionProcesses().get(0).split(" ")[0];
    assertThat(java).startsWith(RUNTIME.toString()).endsWith("/bin/java");

    // And the JVM accepts it: where the archive does not fit the jar, these flags stop the VM.
    String strict = kind.equals(".aot") ? "-XX:AOTMode=on" : "-Xshare:on";
    int functionPort = freePort();
    ProcessBuilder alone =
        new ProcessBuilder(
                java,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                flag,
                strict,
                "-jar",
                dir.resolve("functions/target/function.jar").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("strict.log").toFile());
    alone.environment().put("PORT", Integer.toString(functionPort));
    Process strictRun = alone.start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .failFast("the JVM refused the archive", () -> !strictRun.isAlive())
          .until(() -> answers(URI.create("http://127.0.0.1:" + functionPort + "/?ms=0")));
    } finally {
      strictRun.destroyForcibly().waitFor();
    }
    signal("TERM");
    assertThat(kinetic.waitFor(60, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> functionProcesses().isEmpty());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private boolean answers(URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theJarPrintsItsVersion() throws Exception {
    Process version = kinetic("-V").redirectErrorStream(true).start();
    String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(version.exitValue()).isZero();
    // The project's version, from the jar's manifest.
    assertThat(printed.strip()).isEqualTo("kinetic " + System.getProperty("kinetic.version"));
  }

  /** The packaged kinetic.jar on this JVM's java, as the user runs it, with these arguments. */
  private static ProcessBuilder kinetic(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Path.of("target", "kinetic.jar").toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private void start(Map<String, String> env) throws Exception {
    Path manifests = dir.resolve("functions");
    if (!Files.exists(manifests)) {
      // A copy of the packaged example (its jar and lib/) in target/ beside the manifest, as a
      // project has it, so that its processes are told apart and run on local mode's command.
      copyOfTheSlowExample(manifests.resolve("target"));
      Files.writeString(
          manifests.resolve("slow.yaml"), TestManifests.packaged("slow", 10, 4, "60s"));
    }
    ProcessBuilder pb =
        kinetic(
            "local",
            "--dir",
            manifests.toString(),
            "--port",
            "0",
            "--admin-port",
            "0",
            "--status-port",
            "0",
            "--secrets",
            dir.resolve("none.properties").toString(),
            "--archives",
            dir.resolve("archives").toString(),
            // Shared by the tests: linked by the first, as a second `make run` finds it.
            "--runtime",
            RUNTIME.toString());
    pb.environment().putAll(env);
    kinetic = pb.redirectErrorStream(true).start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(kinetic.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  output.add(line);
                }
              } catch (IOException ended) {
                // The process is gone: nothing more to read.
              }
            },
            "kinetic-output");
    reader.setDaemon(true);
    reader.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> printed("stats:"));
    port = number(URL);
    adminPort = number(STATS);
  }

  private void copyOfTheSlowExample(Path target) throws IOException {
    Path from = ROOT.resolve("examples/slow/target");
    Path to = Files.createDirectories(target.resolve("lib"));
    try (var libs = Files.list(from.resolve("lib"))) {
      for (Path lib : libs.toList()) {
        Files.copy(lib, to.resolve(lib.getFileName()));
      }
    }
    Files.copy(from.resolve("function.jar"), target.resolve("function.jar"));
  }

  private List<CompletableFuture<HttpResponse<String>>> sendFortyAndAwaitThemWaiting() {
    URI uri = URI.create("http://127.0.0.1:" + port + "/default/slow/?ms=3000");
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answers.add(
          http.sendAsync(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ActivatorProbe.waiting(http, URI.create("http://127.0.0.1:" + adminPort + "/stats"))
                    == 40);
    return answers;
  }

  private void signal(String name) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(kinetic.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
  }

  private boolean printed(String text) {
    return output.stream().anyMatch(line -> line.contains(text));
  }

  private int number(Pattern pattern) {
    for (String line : output) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("not printed: " + pattern + " in " + output);
  }

  /** Processes running this test's copy of the jar, wherever they were reparented. */
  private List<String> functionProcesses() {
    String jar = dir.resolve("functions/target").toString();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains(jar))
        .toList();
  }
}
