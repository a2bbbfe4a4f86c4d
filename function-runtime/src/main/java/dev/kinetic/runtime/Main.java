package dev.kinetic.runtime;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The entry point of every function image: reads the settings, listens, loads the function, and
 * drains on SIGTERM. Only wiring; each part is its own class.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    long startNanos = System.nanoTime();
    Clock clock = Clock.systemUTC();
    JsonLog log = new JsonLog(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), clock);
    RuntimeSettings settings;
    try {
      settings = RuntimeSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      log.write("ERROR", "invalid settings: " + e.getMessage(), Map.of(), null);
      System.exit(2);
      return;
    }
    // The JDK server's own cap on the header block, above ours so that ours answers 431 with a
    // clear body and the JDK's only stops what is far beyond it.
    System.setProperty(
        "sun.net.httpserver.maxReqHeaderSize", Integer.toString(settings.maxHeaderBytes() * 2));
    // Before the first HTTP server fixes the JDK server's settings.
    FunctionHost.keepIdleConnections(settings);

    Invoker invoker;
    try {
      invoker =
          Invokers.of(FunctionLoader.load(settings.functionClass(), Main.class.getClassLoader()));
    } catch (RuntimeException | LinkageError e) {
      log.write(
          "ERROR", "cannot load the function", Map.of("function", settings.functionName()), e);
      System.exit(1);
      return;
    }
    // The port opens only now, with the function loaded: a platform that checks readiness by a TCP
    // connection (Kinetic's default, since any server passes it) is then exact for this runtime.
    DeferredMetrics metrics = new DeferredMetrics();
    FunctionHost host =
        FunctionHost.start(settings, log, clock, new SystemNanoTime(), metrics, invoker);
    MetricsStarter afterStart = new MetricsStarter(settings, metrics, log, startNanos);
    host.afterFirstResponse(afterStart.firstResponseSignal());
    afterStart.ready(host, System.nanoTime());
    Runtime.getRuntime().addShutdownHook(new DrainOnExit(host));
    ParentWatch.start(System.getenv(), log, new ExitNow());

    Thread background = new Thread(afterStart, "kinetic-after-start");
    background.setDaemon(true);
    background.start();
  }

  // Classes rather than lambdas or method references: see FunctionHost on lambdas at start-up.

  private static final class SystemNanoTime implements LongSupplier {
    @Override
    public long getAsLong() {
      return System.nanoTime();
    }
  }

  /** The JVM's exit, which runs {@link DrainOnExit}. */
  private static final class ExitNow implements Runnable {
    @Override
    public void run() {
      System.exit(0);
    }
  }

  /** SIGTERM: drain before the JVM exits. */
  private static final class DrainOnExit extends Thread {
    private final FunctionHost host;

    DrainOnExit(FunctionHost host) {
      super("kinetic-drain");
      this.host = host;
    }

    @Override
    public void run() {
      host.drain();
    }
  }
}
