package dev.kinetic.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinetic.activator.ActivatorSettings;
import dev.kinetic.routes.FunctionKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode end to end: the real activator, the real autoscaler decision, and examples/slow's
 * packaged jar as real processes on real sockets.
 */
class LocalModeIT {
  private static final FunctionKey SLOW = new FunctionKey("default", "slow");
  private static final Path ROOT = Path.of(System.getProperty("kinetic.root", "../.."));

  @TempDir Path dir;
  private LocalPlatform platform;
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private void start(String manifest) throws Exception {
    Files.writeString(dir.resolve("function.yaml"), manifest);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    startLoaded(Manifests.load(dir, java));
  }

  private void startLoaded(Manifests.Loaded loaded) throws Exception {
    platform = TestManifests.start(loaded, logs);
  }

  private static String slowManifest(int hard, int max, String idle) {
    return TestManifests.function(
        "slow", ROOT.resolve("examples/slow/target/function.jar"), hard, max, idle);
  }

  @Test
  void aColdBurstIsServedInFullAndScalesBeyondOnePodThenToZeroAndBack() throws Exception {
    // The shortest window: the pods the burst brought are held for it, then go.
    start(
        slowManifest(10, 4, "5s")
            .replace("idleTimeout: 5s\n", "idleTimeout: 5s\n    window: 6s\n"));
    assertThat(platform.pods(SLOW).running()).as("min 0: nothing runs before traffic").isZero();

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/");
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      burst.add(
          client.sendAsync(
              HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
    }
    int peakPods = 0;
    long ok = 0;
    List<String> failures = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> reply : burst) {
      HttpResponse<String> response = reply.get(90, TimeUnit.SECONDS);
      peakPods = Math.max(peakPods, platform.pods(SLOW).running());
      // The runtime answers 503 above its hard limit: a 200 for every request also means no pod
      // ever had more than 10 in flight.
      if (response.statusCode() == 200) {
        ok++;
      } else {
        failures.add(response.statusCode() + " " + response.body());
      }
    }
    assertThat(failures).as("failed requests of the cold burst").isEmpty();
    assertThat(ok).isEqualTo(200);
    assertThat(peakPods).as("scaled beyond one pod").isGreaterThan(1);
    assertThat(platform.pods(SLOW).crashes()).isZero();

    // No traffic: zero pods once the burst has left the stable window and the idle timeout passed.
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> platform.pods(SLOW).running() == 0);
    assertThat(logs.toString())
        .as("the function's window, not the default 60 s")
        .containsPattern(
            "\\[default/slow\\] scaled from [1-4] to [0-3]: [^\\n]* over 6 s at target");

    HttpResponse<String> again =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode())
        .as("a request at zero starts a pod and is served")
        .isEqualTo(200);
    assertThat(again.body()).isEqualTo("slept 100 ms\n");
    assertThat(logs.toString()).contains("[default/slow pod-");
  }

  @Test
  void aFastFunctionWithARateTargetScalesOnItsRequestsPerSecond() throws Exception {
    // 50 requests a second of 1 ms: about 0.1 concurrent, one process at its target of 7. At 5
    // requests a second per process (3.5 at 70%) they want 15, and scale.max is 4.
    start(slowManifest(10, 4, "30s") + "    targetRequestsPerSecond: 5\n");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/?ms=1");
    List<CompletableFuture<HttpResponse<String>>> sent =
        java.util.Collections.synchronizedList(new ArrayList<>());
    var load = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      load.scheduleAtFixedRate(
          () ->
              sent.add(
                  client.sendAsync(
                      HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())),
          0,
          20,
          TimeUnit.MILLISECONDS);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> platform.pods(SLOW).running() == 4);
    } finally {
      load.shutdown();
    }
    assertThat(logs.toString())
        .as("scaled up by the rate, and says so")
        .containsPattern("\\[default/slow\\] scaled from [1-3] to [2-4]: [^\\n]*requests/s");
    List<String> failures = new ArrayList<>();
    synchronized (sent) {
      for (CompletableFuture<HttpResponse<String>> reply : sent) {
        HttpResponse<String> response = reply.get(30, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
          failures.add(response.statusCode() + " " + response.body());
        }
      }
    }
    assertThat(failures).as("failed requests").isEmpty();
  }

  @Test
  void aPodKilledUnderTrafficIsReplacedAndOnlyItsInFlightRequestsFail() throws Exception {
    start(slowManifest(10, 4, "60s").replace("min: 0", "min: 2"));
    await().atMost(Duration.ofSeconds(60)).until(() -> platform.pods(SLOW).ready() == 2);
    long victim = platform.pods(SLOW).pids().get(0);

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/");
    java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
    List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean killed =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger okAfterReplacement =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Thread t =
          new Thread(
              () -> {
                while (okAfterReplacement.get() < 100) {
                  try {
                    HttpResponse<String> r =
                        client.send(
                            HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                      ok.incrementAndGet();
                      if (killed.get() && platform.pods(SLOW).ready() == 2) {
                        okAfterReplacement.incrementAndGet();
                      }
                    } else {
                      failed.add(r.statusCode() + " " + r.body());
                    }
                  } catch (Exception e) {
                    failed.add(e.toString());
                  }
                }
              });
      t.start();
      clients.add(t);
    }
    await().until(() -> ok.get() >= 50);
    ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL
    killed.set(true);
    await().atMost(Duration.ofSeconds(60)).until(() -> platform.pods(SLOW).crashes() == 1);
    for (Thread t : clients) {
      t.join(Duration.ofSeconds(120).toMillis());
    }

    assertThat(platform.pods(SLOW).pids()).as("replaced").hasSize(2).doesNotContain(victim);
    // At most what the killed pod had in flight (its hard limit). Each is a 502 — or, for an
    // answer whose head the pod had already sent (the JDK server flushes the head before the
    // body), the client connection cut short of the declared length: a status on its way cannot
    // become a 502 (nginx and Go's reverse proxy cut it the same way).
    System.out.println("requests failed by the SIGKILL: " + failed.size() + " " + failed);
    assertThat(failed.size()).isLessThanOrEqualTo(10);
    assertThat(failed)
        .allSatisfy(
            f ->
                assertThat(f)
                    .matches(
                        "502 .*|java\\.io\\.IOException: fixed content-length: \\d+, bytes"
                            + " received: \\d+"));
  }

  /**
   * A caller that gives up (curl -m, a closed tab) does not hand the pod the next request while the
   * function still runs its: the JDK's server never tells the function, and the runtime would
   * refuse a request beyond the hard limit with 503 overloaded. The next request waits instead.
   */
  @Test
  void aCallerThatGivesUpLeavesThePodToFinishBeforeTheNextRequestGoesToIt() throws Exception {
    start(slowManifest(1, 1, "60s").replace("min: 0", "min: 1"));
    await().atMost(Duration.ofSeconds(60)).until(() -> platform.pods(SLOW).ready() == 1);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", platform.port())) {
      socket
          .getOutputStream()
          .write(
              "GET /default/slow/?ms=2000 HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      await().until(() -> inFlight(SLOW) == 1);
    } // gone while the function sleeps

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> next =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/?ms=100"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("slept 100 ms\n");
  }

  private double inFlight(FunctionKey key) {
    var gauge =
        platform
            .meters()
            .find("kinetic.activator.in.flight")
            .tag("function", key.toString())
            .gauge();
    return gauge == null ? 0 : gauge.value();
  }

  @Test
  void anEditedManifestRollsTheProcessesWithoutAFailedRequest() throws Exception {
    String before = slowManifest(10, 4, "60s").replace("min: 0", "min: 2");
    start(before);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    platform.watch(dir, java, Duration.ofMillis(500));
    await().atMost(Duration.ofSeconds(60)).until(() -> platform.pods(SLOW).ready() == 2);
    List<Long> oldPids = platform.pods(SLOW).pids();

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/");
    List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger newAnswers =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Thread t =
          new Thread(
              () -> {
                while (newAnswers.get() < 50) {
                  try {
                    HttpResponse<String> r =
                        client.send(
                            HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      failed.add(r.statusCode() + " " + r.body());
                    } else if (r.body().equals("slept 150 ms\n")) {
                      newAnswers.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failed.add(e.toString());
                  }
                }
              });
      t.start();
      clients.add(t);
    }
    Files.writeString(
        dir.resolve("function.yaml"), before.replace("value: \"100\"", "value: \"150\""));
    for (Thread t : clients) {
      t.join(Duration.ofSeconds(120).toMillis());
    }

    assertThat(newAnswers.get()).as("the new env is live").isGreaterThanOrEqualTo(50);
    assertThat(failed).as("no request failed during the roll").isEmpty();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(platform.pods(SLOW).pids())
                  .hasSize(2)
                  .doesNotContainAnyElementsOf(oldPids);
              for (long pid : oldPids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
              }
            });
  }

  @Test
  void closingLeavesNoProcessBehind() throws Exception {
    start(slowManifest(10, 4, "60s").replace("min: 0", "min: 2"));
    await().atMost(Duration.ofSeconds(60)).until(() -> platform.pods(SLOW).ready() == 2);
    List<Long> pids = platform.pods(SLOW).pids();
    assertThat(pids).hasSize(2);

    platform.close();
    platform = null;

    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("process %d", pid)
          .isFalse();
    }
  }

  @Test
  void aManifestReadWhileStoppingStartsNothing() throws Exception {
    start(slowManifest(10, 4, "60s"));
    LocalPlatform stopped = platform;
    stopped.close();
    platform = null;

    // What the manifests' watch may read while Ctrl-C is being handled: a new Function that wants
    // two processes at once. Applying it threw (the dispatcher was closed) after starting them.
    Files.writeString(
        dir.resolve("other.yaml"),
        TestManifests.function(
                "other", ROOT.resolve("examples/slow/target/function.jar"), 10, 4, "60s")
            .replace("min: 0", "min: 2"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    stopped.apply(Manifests.load(dir, java));

    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void stoppingWhileRequestsWaitAtZeroAnswersEveryOneOfThemAndLeavesNoProcess() throws Exception {
    start(slowManifest(10, 4, "60s"));
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/?ms=3000");
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answers.add(
          client.sendAsync(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> platform.pods(SLOW).desired() > 0);

    // What Ctrl-C (SIGTERM) runs, with every request queued or in flight at zero pods.
    platform.close();
    platform = null;

    java.util.Map<Integer, Long> statuses = new java.util.TreeMap<>();
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      statuses.merge(answer.get(10, TimeUnit.SECONDS).statusCode(), 1L, Long::sum);
    }
    System.out.println("stopped with 40 requests waiting: " + statuses);
    // 4 pods x 10 slots take all 40 well within the drain deadline (30 s): every one is served.
    assertThat(statuses).isEqualTo(java.util.Map.of(200, 40L));
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("function.jar")))
        .as("function processes left")
        .isEmpty();
  }

  @Test
  void aFunctionThatCannotStartIsAnswered503WithItsReasonNotAtItsTimeoutAndRecoversWhenFixed()
      throws Exception {
    // A process that exits with code 1 at once, every time.
    String crashing =
        slowManifest(10, 2, "60s")
            .replaceFirst(
                "kinetic.dev/local-command: \"[^\"]*\"", "kinetic.dev/local-command: \"false\"");
    start(crashing);
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/?ms=10");
    // timeoutSeconds is 30: an answer within 5 s is not the timeout's.
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> waited = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(waited.statusCode()).as(waited.body()).isEqualTo(503);
    assertThat(waited.headers().firstValue("Retry-After")).isPresent();
    assertThat(waited.body())
        .contains("\"error\":\"function_unavailable\"")
        .contains("CrashLoop")
        .contains("last with code 1");
    // While it holds, a newcomer is answered at once, without waiting for another crash.
    HttpResponse<String> next = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).isEqualTo(503);
    assertThat(next.body()).contains("CrashLoop");

    // The manifest fixed: the same platform serves it, nothing restarted by hand.
    Files.writeString(dir.resolve("function.yaml"), slowManifest(10, 2, "60s"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    platform.apply(Manifests.load(dir, java));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .send(
                                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200));
  }

  /** A server with no Kinetic runtime and no health path (Python's standard library). */
  private String plainServerManifest(String probe) throws Exception {
    Files.copy(
        Path.of(LocalModeIT.class.getResource("/plain-http/server.py").toURI()),
        dir.resolve("server.py"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return """
        apiVersion: kinetic.dev/v1alpha1
        kind: Function
        metadata:
          name: plain
          annotations: {kinetic.dev/local-command: python3 server.py}
        spec:
          image: example.com/plain:1
          env: [{name: GREETING, value: Hi}]
          timeoutSeconds: 5
        %s
        """
        .formatted(probe);
  }

  @Test
  void aFunctionAnswersAtItsOwnDomainWithThePathAsSent() throws Exception {
    start(plainServerManifest("  domains: [plain.example.org]"));
    HttpClient client = HttpClient.newHttpClient();
    URI root = URI.create("http://127.0.0.1:" + platform.port() + "/");

    HttpResponse<String> byDomain =
        client.send(
            HttpRequest.newBuilder(root)
                .header("Host", "plain.example.org")
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> otherHost =
        client.send(
            HttpRequest.newBuilder(root).header("Host", "other.example.org").build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(byDomain.statusCode()).as(byDomain.body()).isEqualTo(200);
    assertThat(byDomain.body().trim()).isEqualTo("{\"message\": \"Hi from Python\"}");
    assertThat(otherHost.statusCode())
        .as("not claimed: routed by path, which names none")
        .isEqualTo(404);
  }

  @Test
  void withTheAccessLogOnEachRequestIsALineOfTheOutputWithoutItsQuery() throws Exception {
    Files.writeString(dir.resolve("function.yaml"), plainServerManifest(""));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    platform =
        LocalPlatform.start(
            Manifests.load(dir, java),
            // What kinetic local --access-log sets.
            ActivatorSettings.fromEnv(Map.of("KINETIC_ACTIVATOR_ACCESS_LOG", "json"))
                .withPorts(0, 0),
            LocalObjects.NONE,
            Clock.systemUTC(),
            new PrintStream(logs, true));

    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + platform.port() + "/default/plain/?token=s3cr3t"))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    await()
        .untilAsserted(
            () ->
                assertThat(logs.toString())
                    .contains(
                        "kinetic: access {\"time\":\"",
                        "\"function\":\"default/plain\",\"method\":\"GET\","
                            + "\"path\":\"/default/plain/\",\"status\":200"));
    assertThat(logs.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aPlainHttpServerWithoutHealthPathsIsReadyOnceItAcceptsConnections() throws Exception {
    start(plainServerManifest(""));
    assertServedFromZeroWithoutAHealthPath("plain", "{\"message\": \"Hi from Python\"}");
  }

  @Test
  void theGoExampleIsServedFromZeroInLocalMode() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    startLoaded(Manifests.load(ROOT.resolve("examples/go-hello"), java));
    assertServedFromZeroWithoutAHealthPath("go-hello", "{\"message\":\"Hello from Go\"}");
  }

  @Test
  void aWebSocketToTheGoExampleAtZeroWaitsForItsProcessAndEchoesThroughTheActivator()
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    startLoaded(Manifests.load(ROOT.resolve("examples/go-hello"), java));
    URI echo = URI.create("ws://127.0.0.1:" + platform.port() + "/default/go-hello/echo");

    List<String> echoes =
        EchoSocket.echoed(echo, Duration.ofSeconds(20), List.of("first", "x".repeat(100_000)));

    assertThat(echoes).containsExactly("first", "x".repeat(100_000));
    assertThat(logs.toString())
        .as("started for the socket")
        .contains("[default/go-hello] scaled from 0 to");
  }

  @Test
  void theSecretsExampleReadsItsTokenFromItsVolumeWrittenForTheProcessAndRemovedAfter()
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Set<Path> before = volumeFolders();
    platform =
        TestManifests.start(
            Manifests.load(ROOT.resolve("examples/secrets"), java),
            LocalObjects.ofSecrets(Map.of("api-token/token", "local-token")),
            logs);
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + platform.port() + "/default/token-check/");

    HttpResponse<String> admitted =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer local-token")
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> refused =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
    assertThat(refused.statusCode()).isEqualTo(401);
    Set<Path> written = volumeFolders();
    written.removeAll(before);
    assertThat(written).as("one folder for the one process").hasSize(1);
    platform.close();
    platform = null;
    assertThat(written.iterator().next()).as("removed with its process").doesNotExist();
  }

  private static Set<Path> volumeFolders() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("kinetic-volumes-"))
          .collect(Collectors.toCollection(HashSet::new));
    }
  }

  /** A request at zero is answered {@code body}; the server itself has no readiness path. */
  private void assertServedFromZeroWithoutAHealthPath(String function, String body)
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + platform.port() + "/default/" + function + "/";

    HttpResponse<String> atZero =
        client.send(
            HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(atZero.statusCode()).as(atZero.body()).isEqualTo(200);
    assertThat(atZero.body().trim()).isEqualTo(body);
    HttpResponse<String> readyz =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(readyz.statusCode()).as("it has no readiness path of its own").isEqualTo(404);
  }

  @Test
  void aProbePathMustAnswerBeforeTheProcessTakesRequests() throws Exception {
    FunctionKey plain = new FunctionKey("default", "plain");
    // The server answers 404 on /readyz: with that path it never counts as ready.
    start(plainServerManifest("  probe: {path: /readyz}\n  scale: {min: 1}"));
    await().atMost(Duration.ofSeconds(20)).until(() -> platform.pods(plain).running() == 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> platform.pods(plain).ready() == 0);

    // A path it answers 200 on: the new process is ready and serves.
    Files.writeString(
        dir.resolve("function.yaml"), plainServerManifest("  probe: {path: /}\n  scale: {min: 1}"));
    platform.apply(
        Manifests.load(dir, Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    await().atMost(Duration.ofSeconds(20)).until(() -> platform.pods(plain).ready() == 1);
    HttpResponse<String> served =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + platform.port() + "/default/plain/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
  }

  @Test
  void anInvalidManifestIsRefusedWithItsFileAndReasonAndTheOthersLoad() throws Exception {
    Files.writeString(dir.resolve("good.yaml"), slowManifest(10, 4, "5s"));
    Files.writeString(
        dir.resolve("bad-name.yaml"),
        slowManifest(10, 4, "5s").replace("name: slow", "name: Slow_Fn"));
    Files.writeString(
        dir.resolve("min-above-max.yaml"),
        slowManifest(10, 4, "5s").replace("name: slow", "name: other").replace("min: 0", "min: 9"));
    Files.writeString(
        dir.resolve("no-image.yaml"),
        slowManifest(10, 4, "5s")
            .replace("name: slow", "name: third")
            .replace("  image: example.com/slow:1\n", ""));

    Manifests.Loaded loaded = Manifests.load(dir, "java");

    assertThat(loaded.functions()).extracting(f -> f.key().name()).containsExactly("slow");
    assertThat(loaded.problems())
        .hasSize(3)
        .anySatisfy(
            p -> assertThat(p).startsWith("bad-name.yaml: metadata.name must be a DNS-1035 label"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "min-above-max.yaml: spec.scale: scale.min must be less than or equal to"
                            + " scale.max"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo("no-image.yaml: spec: required property 'image' not found"));

    // Running: the status page shows the valid function's condition and every refusal, and so
    // does kinetic status.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    platform =
        LocalPlatform.start(
            Manifests.load(dir, java),
            ActivatorSettings.defaults().withPorts(0, 0),
            LocalObjects.NONE,
            Clock.systemUTC(),
            new PrintStream(logs, true));
    int statusPort = platform.serveStatus(0);
    var status = getJson(statusPort, "/status");
    assertThat(status.path("functions")).hasSize(1);
    var slow = status.path("functions").path(0);
    assertThat(slow.path("name").asText()).isEqualTo("slow");
    assertThat(slow.path("conditions").path(0).path("reason").asText()).isEqualTo("ScaledToZero");
    assertThat(status.path("refused")).hasSize(3);
    String printed = kineticStatus(statusPort, platform.adminPort());
    assertThat(printed)
        .contains("default/slow", "0/0", "Ready=True ScaledToZero")
        .contains("refused min-above-max.yaml: spec.scale: scale.min must be less than");

    // An edit that breaks the running function's manifest is refused, and the last good version
    // keeps serving, as on a cluster where the API server refuses the update.
    platform.watch(dir, java, Duration.ofMillis(300));
    Files.writeString(
        dir.resolve("good.yaml"), slowManifest(10, 4, "5s").replace("hard: 10", "hard: -1"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> getJson(statusPort, "/status").path("refused").size() == 4);
    HttpResponse<String> served =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + platform.port() + "/default/slow/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(getJson(statusPort, "/status").path("refused").toString())
        .contains("good.yaml: spec.concurrency.hard: must have a minimum value of 0");
    assertThat(logs.toString()).contains("refused good.yaml");
  }

  private static com.fasterxml.jackson.databind.JsonNode getJson(int port, String path)
      throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
  }

  /** {@code kinetic status} as a user runs it, its output captured. */
  private static String kineticStatus(int statusPort, int adminPort) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    try {
      int exit =
          new picocli.CommandLine(new KineticCommand())
              .execute(
                  "status",
                  "--status-port",
                  Integer.toString(statusPort),
                  "--admin-port",
                  Integer.toString(adminPort));
      assertThat(exit).isZero();
    } finally {
      System.setOut(original);
    }
    return captured.toString();
  }
}
