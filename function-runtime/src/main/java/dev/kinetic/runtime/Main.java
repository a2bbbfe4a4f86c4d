package dev.kinetic.runtime;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

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

    DeferredMetrics metrics = new DeferredMetrics();
    FunctionHost host = FunctionHost.start(settings, log, clock, System::nanoTime, metrics);
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
    host.ready(invoker);
    Runtime.getRuntime().addShutdownHook(new Thread(host::drain, "kinetic-drain"));

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("function", settings.functionName());
    fields.put("port", host.port());
    fields.put("startup_ms", (System.nanoTime() - startNanos) / 1e6);
    log.write("INFO", "ready", fields, null);

    RuntimeSettings finalSettings = settings;
    Thread metricsStarter =
        new Thread(
            () -> {
              MicrometerMetrics registry =
                  new MicrometerMetrics(
                      finalSettings.functionName(), finalSettings.memoryLimitBytes());
              MetricsServer.start(finalSettings.metricsPort(), registry);
              metrics.complete(registry);
            },
            "kinetic-metrics-start");
    metricsStarter.setDaemon(true);
    metricsStarter.start();
  }
}
