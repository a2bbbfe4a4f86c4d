package dev.kinetic.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The start-up work no request needs: the "ready" log line and the metrics registry and port. It
 * runs once the first response is out, or after {@link #MAX_DELAY_MS} without one. On two cores,
 * loading Jackson's and Micrometer's classes beside the first request would slow that request down,
 * which is exactly the cold start users feel.
 */
final class MetricsStarter implements Runnable {
  static final long MAX_DELAY_MS = 1000;

  private final RuntimeSettings settings;
  private final DeferredMetrics metrics;
  private final JsonLog log;
  private final long startNanos;
  private final CountDownLatch firstResponse = new CountDownLatch(1);
  private volatile FunctionHost host;
  private volatile long readyNanos;

  MetricsStarter(RuntimeSettings settings, DeferredMetrics metrics, JsonLog log, long startNanos) {
    this.settings = settings;
    this.metrics = metrics;
    this.log = log;
    this.startNanos = startNanos;
  }

  /** For {@link FunctionHost#afterFirstResponse}. A class, not a lambda: see FunctionHost. */
  Runnable firstResponseSignal() {
    return new Signal(firstResponse);
  }

  void ready(FunctionHost readyHost, long nanos) {
    this.host = readyHost;
    this.readyNanos = nanos;
  }

  @Override
  public void run() {
    try {
      firstResponse.await(MAX_DELAY_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("function", settings.functionName());
    fields.put("port", host.port());
    fields.put("startup_ms", (readyNanos - startNanos) / 1e6);
    log.write("INFO", "ready", fields, null);

    MicrometerMetrics registry =
        new MicrometerMetrics(settings.functionName(), settings.memoryLimitBytes());
    MetricsServer.start(settings.metricsPort(), registry);
    metrics.complete(registry);
  }

  private static final class Signal implements Runnable {
    private final CountDownLatch latch;

    Signal(CountDownLatch latch) {
      this.latch = latch;
    }

    @Override
    public void run() {
      latch.countDown();
    }
  }
}
