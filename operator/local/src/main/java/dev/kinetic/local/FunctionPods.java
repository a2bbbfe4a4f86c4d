package dev.kinetic.local;

import dev.kinetic.api.RuntimeEnvironment;
import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.LocalRouteTable;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.Unavailable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The "pods" of one function: local processes. Scales to a number, waits for each to pass the
 * Function's readiness check (its probe path, or a TCP connection) before routing to it, stops the
 * newest first with SIGTERM, and replaces a process that dies with back-off (a crash loop is
 * reported, not hidden).
 */
final class FunctionPods {
  static final Duration READY_POLL = Duration.ofMillis(10);
  static final int PROBE_TIMEOUT_MS = 1000;
  static final Duration STOP_GRACE = Duration.ofSeconds(35);
  // Moving a trained archive into place: a rename.
  private static final Duration EXIT_HANDLING = Duration.ofSeconds(5);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private LocalFunction function;

  /** Pods of the previous manifest, still serving until their replacements are ready. */
  private final List<Pod> retiring = new ArrayList<>();

  private final LocalRouteTable routes;
  private final LocalObjects objects;
  private final ClassDataArchives archives;
  private final ScheduledExecutorService scheduler;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final List<Pod> pods = new ArrayList<>();
  private int desired;
  private int started;
  private int crashes;
  // Crashes since a process was last ready (or the manifest changed, or the function went to
  // zero): what the back-off grows with, and what makes the function known not to start.
  private int crashesSinceReady;
  private Integer lastExitCode;
  private boolean closed;

  FunctionPods(
      LocalFunction function,
      LocalRouteTable routes,
      LocalObjects objects,
      ClassDataArchives archives,
      ScheduledExecutorService scheduler,
      PrintStream out) {
    this.function = function;
    this.archives = archives;
    this.routes = routes;
    this.objects = objects;
    this.scheduler = scheduler;
    this.out = out;
    publish();
  }

  /** A started process: its port, and whether it has passed the readiness check. */
  private final class Pod {
    final int index;
    final int port;
    final Process process;
    volatile boolean ready;
    volatile boolean stopping;
    // Done once what follows the process's exit has run (its class-data archive kept): close()
    // waits for it, or local mode could exit between the two.
    volatile CompletableFuture<Void> exitHandled = CompletableFuture.completedFuture(null);

    Pod(int index, int port, Process process) {
      this.index = index;
      this.port = port;
      this.process = process;
    }
  }

  synchronized int desired() {
    return desired;
  }

  synchronized int running() {
    return pods.size();
  }

  synchronized int ready() {
    return (int) pods.stream().filter(p -> p.ready).count();
  }

  synchronized int crashes() {
    return crashes;
  }

  synchronized LocalCondition condition() {
    return LocalCondition.ready(desired, ready(), crashes, crashesSinceReady, lastExitCode);
  }

  /** The ports of the ready processes (what a benchmark calls directly, beside the activator). */
  synchronized List<Integer> readyPorts() {
    return pods.stream().filter(p -> p.ready).map(p -> p.port).toList();
  }

  synchronized List<Long> pids() {
    return pods.stream().map(p -> p.process.pid()).toList();
  }

  /**
   * A changed manifest: start as many pods of the new one as run now, route to both, and stop an
   * old pod each time a new one is ready, so no request meets a missing pod.
   */
  synchronized void roll(LocalFunction updated) {
    function = updated;
    crashesSinceReady = 0; // a new manifest deserves a fresh try
    retiring.addAll(pods);
    pods.clear();
    while (pods.size() < desired) {
      pods.add(start());
    }
    retireWhileReplaced();
    publish();
  }

  synchronized LocalFunction function() {
    return function;
  }

  synchronized void scaleTo(int replicas) {
    if (closed) {
      return;
    }
    desired = replicas;
    if (desired == 0) {
      crashesSinceReady = 0; // the next request tries afresh
    }
    while (pods.size() < desired) {
      pods.add(start());
    }
    while (pods.size() > desired) {
      stop(pods.remove(pods.size() - 1));
    }
    publish();
  }

  /** Stops every process and waits for them (SIGTERM, then SIGKILL after the grace period). */
  void close() {
    List<Pod> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(pods);
      pods.clear();
      routes.remove(function.key());
    }
    synchronized (this) {
      all.addAll(retiring);
      retiring.clear();
    }
    for (Pod pod : all) {
      pod.stopping = true;
      pod.process.destroy();
    }
    for (Pod pod : all) {
      try {
        if (!pod.process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          pod.process.destroyForcibly().waitFor();
        }
        pod.exitHandled.get(EXIT_HANDLING.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        out.printf("[%s] pod %d: after its exit: %s%n", function.key(), pod.index, e);
      } catch (InterruptedException e) {
        pod.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private Pod start() {
    int index = ++started;
    int port = freePort();
    // In the manifest's folder, so that a local command can name files beside it.
    ClassDataArchives.Start launch = archives.prepare(function.key().toString(), command());
    ProcessBuilder pb =
        new ProcessBuilder(launch.command())
            .directory(function.manifest().toAbsolutePath().getParent().toFile());
    Map<String, String> env = pb.environment();
    LocalVolumes volumes;
    try {
      volumes = LocalVolumes.write(function.function().getSpec(), objects);
    } catch (IOException e) {
      launch.exited().run();
      throw new UncheckedIOException("cannot write the volumes of " + function.key(), e);
    }
    volumes.notes().forEach(note -> out.printf("[%s] %s%n", function.key(), note));
    env.putAll(LocalEnvironment.variables(function.function().getSpec(), objects, volumes));
    env.putAll(
        new RuntimeEnvironment(
                function.key().name(), function.key().namespace(), function.effective())
            .variables(port));
    // Local only: several processes share the machine, so each gets its own metrics port.
    env.put("KINETIC_METRICS_PORT", Integer.toString(freePort()));
    // The function runtime stops itself once this program is gone, even killed outright.
    env.put("KINETIC_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    pb.redirectErrorStream(true);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      launch.exited().run();
      volumes.close();
      throw new UncheckedIOException(
          "cannot start " + launch.command() + " for " + function.key(), e);
    }
    Pod pod = new Pod(index, port, process);
    pump(pod);
    // One short-lived thread per starting pod: polling must not hold up the shared scheduler.
    Thread poller = new Thread(() -> awaitReady(pod), "ready-" + function.key() + "-" + index);
    poller.setDaemon(true);
    poller.start();
    pod.exitHandled =
        process
            .onExit()
            .thenRun(
                () -> {
                  launch.exited().run();
                  exited(pod);
                  // Last: a folder that cannot be removed must not keep the pod from restarting.
                  volumes.close();
                });
    return pod;
  }

  private List<String> command() {
    List<String> command = new ArrayList<>(function.command());
    // The memory limit becomes the heap's ceiling, as a container's would.
    function
        .effective()
        .memoryLimitBytes()
        .ifPresent(
            bytes -> {
              if (command.get(0).endsWith("java")) {
                command.add(1, "-Xmx" + Math.max(16, bytes * 3 / 4 / (1024 * 1024)) + "m");
              }
            });
    return command;
  }

  private void awaitReady(Pod pod) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (pod.process.isAlive() && !pod.stopping && System.nanoTime() < deadline) {
      try {
        if (answersReady(pod.port)) {
          pod.ready = true;
          synchronized (this) {
            crashesSinceReady = 0;
            retireWhileReplaced();
            publish();
          }
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      LockSupport.parkNanos(READY_POLL.toNanos());
    }
  }

  /**
   * The Function's check, as on a cluster: a GET of its probe path answering 200 to 399, or without
   * a path a TCP connection to its port.
   */
  private boolean answersReady(int port) throws IOException, InterruptedException {
    Optional<String> path = function.effective().probePath();
    if (path.isEmpty()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MS);
        return true;
      }
    }
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path.get()))
            .timeout(Duration.ofMillis(PROBE_TIMEOUT_MS))
            .build();
    int status = http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
    return status >= 200 && status < 400;
  }

  private void exited(Pod pod) {
    synchronized (this) {
      if (pod.stopping || closed || !pods.remove(pod)) {
        return;
      }
      crashes++;
      crashesSinceReady++;
      lastExitCode = pod.process.exitValue();
      publish();
      long backoff = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(6, crashesSinceReady - 1));
      out.printf(
          "[%s] pod %d exited with %d; restarting in %d ms (%d crashes)%n",
          function.key(), pod.index, pod.process.exitValue(), backoff, crashes);
      scheduler.schedule(() -> scaleTo(desired()), backoff, TimeUnit.MILLISECONDS);
    }
  }

  /** Out of routing first (the activator's gate updates synchronously), then SIGTERM. Lock held. */
  private void stop(Pod pod) {
    pod.stopping = true;
    pod.ready = false;
    publish();
    pod.process.destroy(); // SIGTERM: the runtime drains, then exits
    scheduler.schedule(
        () -> {
          if (pod.process.isAlive()) {
            pod.process.destroyForcibly();
          }
        },
        STOP_GRACE.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops old pods while enough new ones are ready to take their place. Lock held. */
  private void retireWhileReplaced() {
    long readyNew = pods.stream().filter(p -> p.ready).count();
    while (!retiring.isEmpty() && readyNew + retiring.size() > desired) {
      Pod old = retiring.remove(retiring.size() - 1);
      stop(old);
    }
    if (desired == 0) {
      retiring.forEach(this::stop);
      retiring.clear();
    }
  }

  /** Tells the activator which processes are ready. Called with the lock held. */
  private void publish() {
    List<Endpoint> ready = new ArrayList<>();
    for (Pod pod : retiring) {
      if (pod.ready && !pod.stopping) {
        ready.add(new Endpoint("127.0.0.1", pod.port));
      }
    }
    for (Pod pod : pods) {
      if (pod.ready && !pod.stopping) {
        ready.add(new Endpoint("127.0.0.1", pod.port));
      }
    }
    // A crash loop with no process ready: the activator answers waiting requests now, with why.
    LocalCondition condition = condition();
    Optional<Unavailable> unavailable =
        Unavailable.CANNOT_START.contains(condition.reason())
            ? Optional.of(new Unavailable(condition.reason(), condition.message()))
            : Optional.empty();
    routes.put(
        new Route(
            function.key(),
            function.effective().hardConcurrency(),
            Duration.ofSeconds(function.effective().timeoutSeconds()),
            ready,
            unavailable));
  }

  /** Copies a process's output to ours, each line prefixed with the function and pod. */
  private void pump(Pod pod) {
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(
                          pod.process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  out.println("[" + function.key() + " pod-" + pod.index + "] " + line);
                }
              } catch (IOException e) {
                // The process is gone.
              }
            },
            "log-" + function.key() + "-" + pod.index);
    pump.setDaemon(true);
    pump.start();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
