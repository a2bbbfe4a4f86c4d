package dev.kinetic.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.kinetic.function.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The HTTP side of a function process: the function on {@code /}, {@code /healthz} (alive) and
 * {@code /readyz} (ready for requests) on the same port, and graceful drain.
 *
 * <p>Built on the JDK's own HTTP server: nothing to load beyond the JDK, so the process answers its
 * first request in little more than the JVM's start time (docs/runtime.md has the comparison).
 */
public final class FunctionHost {
  /** Threads beyond the concurrency limit, so health probes and quick 503s always get one. */
  private static final int SPARE_THREADS = 16;

  private final RuntimeSettings settings;
  private final HttpServer server;
  private final FunctionHandler handler;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timer;
  private final JsonLog log;

  private FunctionHost(
      RuntimeSettings settings,
      HttpServer server,
      FunctionHandler handler,
      ThreadPoolExecutor workers,
      ScheduledExecutorService timer,
      JsonLog log) {
    this.settings = settings;
    this.server = server;
    this.handler = handler;
    this.workers = workers;
    this.timer = timer;
    this.log = log;
  }

  /** Listens at once; function requests get 503 until {@link #ready(Invoker)}. */
  public static FunctionHost start(
      RuntimeSettings settings,
      JsonLog log,
      Clock clock,
      LongSupplier nanos,
      RequestMetrics metrics) {
    return start(settings, log, clock, nanos, metrics, null);
  }

  /**
   * Listens with {@code function} already in place: no request can find the host not ready. A
   * platform that takes a pod's open port for readiness (the activator probes starting pods every
   * 50 ms and sends waiting requests at once) otherwise hit the moment between the server's start
   * and {@link #ready(Invoker)}: one request of a 200-request burst on the real node was answered
   * 503 not_ready.
   */
  public static FunctionHost start(
      RuntimeSettings settings,
      JsonLog log,
      Clock clock,
      LongSupplier nanos,
      RequestMetrics metrics,
      Invoker function) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("kinetic-deadline"));
    FunctionHandler handler =
        new FunctionHandler(settings, log, clock, nanos, metrics, new Watchdog(timer));
    // One thread per request in progress; the semaphore in the handler, not this pool, answers 503
    // above the limit. A full pool (only if even the spare threads are busy) runs the exchange on
    // the accepting thread, which slows accepting down instead of queueing without bound.
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            0,
            settings.concurrencyLimit() + SPARE_THREADS,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads("kinetic-request"),
            new ThreadPoolExecutor.CallerRunsPolicy());
    // The JDK server writes headers and body in separate segments; without TCP_NODELAY each
    // response waits out the client's delayed ACK (about 40 ms). Read once, at the first server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    keepIdleConnections(settings);
    HttpServer server;
    try {
      // As many connections as the limit lets in may arrive at once (the activator opens one per
      // request it sends when its idle ones are taken): they wait in the accept queue. The JDK's
      // default of 50 drops the rest of a burst's SYNs, and each of those connects waits a second
      // for the retransmission or fails.
      server =
          HttpServer.create(
              new InetSocketAddress(settings.port()), settings.concurrencyLimit() + SPARE_THREADS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + settings.port(), e);
    }
    server.setExecutor(workers);
    server.createContext("/", handler);
    server.createContext("/healthz", new Liveness());
    server.createContext("/readyz", new Readiness(handler));
    if (function != null) {
      handler.ready(function);
    }
    server.start();
    return new FunctionHost(settings, server, handler, workers, timer, log);
  }

  /**
   * Lets every connection the concurrency limit can use stay open between requests. The JDK server
   * closes a connection after its response once 200 are idle, and a proxy that already took that
   * connection from its pool for the next request sees it closed before any answer (502). Read
   * once, when the JVM's first HTTP server starts, so Main sets it first; unless already set.
   */
  static void keepIdleConnections(RuntimeSettings settings) {
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      int most = Math.max(settings.concurrencyLimit(), settings.maxInFlight()) + SPARE_THREADS;
      System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(most));
    }
  }

  /** Runs once, on the thread that sent the process's first function response. */
  public void afterFirstResponse(Runnable action) {
    handler.afterFirstResponse(action);
  }

  public void ready(Invoker function) {
    handler.ready(function);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops taking requests and lets those in progress finish, for at most the request timeout: what
   * a pod must do between SIGTERM and its end. Returns when they have finished or the time is up.
   */
  public void drain() {
    handler.drain();
    long timeoutSeconds = Math.max(1, settings.timeout().toSeconds());
    log.write(
        "INFO",
        "draining: no new connections, waiting up to " + timeoutSeconds + " s for requests",
        Map.of("function", settings.functionName()),
        null);
    // HttpServer.stop closes the listening socket at once, then waits for open exchanges; on JDK
    // 17 it always waits the full delay, even when nothing is in flight, so it runs aside and the
    // handler's own count decides when draining is done.
    Thread stopper = new Thread(() -> server.stop((int) timeoutSeconds), "kinetic-stop");
    stopper.setDaemon(true);
    stopper.start();
    try {
      if (!handler.awaitIdle(Duration.ofSeconds(timeoutSeconds))) {
        log.write(
            "WARN",
            "drain timed out with requests still running",
            Map.of("function", settings.functionName()),
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    timer.shutdownNow();
  }

  static ThreadFactory daemonThreads(String prefix) {
    return new DaemonThreads(prefix);
  }

  // Named classes rather than lambdas on the start-up path: the JVM spins a class for each lambda
  // the first time it runs, which costs more than loading a small class from the jar.

  private static final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    DaemonThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread t = new Thread(task, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /** {@code /healthz}: the process is alive enough to answer. */
  private static final class Liveness implements HttpHandler {
    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        FunctionHandler.send(exchange, Response.ok("ok"), "healthz");
      }
    }
  }

  /** {@code /readyz}: the function is loaded and the host is not draining. */
  private static final class Readiness implements HttpHandler {
    private final FunctionHandler handler;

    Readiness(FunctionHandler handler) {
      this.handler = handler;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        Response answer =
            handler.isReady() ? Response.ok("ready") : ErrorResponses.notReady("readyz");
        FunctionHandler.send(exchange, answer, "readyz");
      }
    }
  }
}
