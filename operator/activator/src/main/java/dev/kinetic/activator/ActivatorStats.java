package dev.kinetic.activator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinetic.routes.FunctionKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-function numbers for the autoscaler ({@code GET /stats} on the admin port) and Prometheus
 * ({@code GET /metrics}). Concurrency = requests in flight + queued, sampled every {@link
 * #SAMPLE_INTERVAL}; the window is the last {@link #WINDOW_SAMPLES} samples (one second). Peaks
 * between samples are not lost: the gate keeps the highest value it saw since the last sample.
 */
final class ActivatorStats {
  static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);
  static final int WINDOW_SAMPLES = 10;
  private static final JsonFactory JSON = new JsonFactory();

  private final Gates gates;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<FunctionKey, Window> windows = new ConcurrentHashMap<>();
  private final Map<FunctionKey, Counter> requestCounters = new ConcurrentHashMap<>();
  // The gate each function's gauges read: a function deleted and created again has a new gate.
  private final Map<FunctionKey, Gate> gauged = new ConcurrentHashMap<>();
  // Every meter registered for a function, so that all of them go when the function does.
  private final Map<FunctionKey, Set<Meter>> meters = new ConcurrentHashMap<>();

  ActivatorStats(Gates gates) {
    this.gates = gates;
  }

  void requestArrived(FunctionKey key) {
    // One lookup per request; the counter is built once per function.
    requestCounters.computeIfAbsent(key, this::requestCounter).increment();
  }

  private Counter requestCounter(FunctionKey key) {
    return track(
        key,
        Counter.builder("kinetic.activator.requests")
            .description("requests received for a function")
            .tag("function", key.toString())
            .register(registry));
  }

  private <M extends Meter> M track(FunctionKey key, M meter) {
    meters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(meter);
    return meter;
  }

  /** How long a request waited for a slot; the histogram shows cold-start waits. */
  void waited(FunctionKey key, long nanos, boolean coldStart) {
    track(
            key,
            Timer.builder("kinetic.activator.wait")
                .description("time requests waited for a slot on a pod")
                .tag("function", key.toString())
                .tag("cold_start", Boolean.toString(coldStart))
                .publishPercentileHistogram()
                .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void rejected(FunctionKey key, String reason) {
    track(
            key,
            Counter.builder("kinetic.activator.rejected")
                .description(
                    "requests the activator answered itself (queue full, wait timed out, pod"
                        + " unreachable)")
                .tag("function", key.toString())
                .tag("reason", reason)
                .register(registry))
        .increment();
  }

  /**
   * One sample of every function, and the forgetting of functions whose route is gone; run every
   * {@link #SAMPLE_INTERVAL}, always on the same thread, so the two never race.
   */
  void sample() {
    Map<FunctionKey, Gate> current = gates.all();
    for (Map.Entry<FunctionKey, Gate> entry : current.entrySet()) {
      FunctionKey key = entry.getKey();
      Gate gate = entry.getValue();
      Gate before = gauged.get(key);
      if (before != gate) {
        if (before != null) {
          // Created again: its gauges read a gate no longer used, its numbers are another's.
          forget(key);
        }
        gauged.put(key, gate);
        gauge(key, gate, "kinetic.activator.queued", "requests waiting for a slot", Gate::queued);
        gauge(
            key,
            gate,
            "kinetic.activator.in.flight",
            "requests on their way to or from a pod",
            Gate::inFlight);
      }
      int[] sample = gate.sample();
      windows.computeIfAbsent(key, k -> new Window()).add(sample[0], sample[1]);
    }
    // A deleted function's numbers go with it: memory follows the functions there are, not all
    // there ever were. (A request racing the deletion may count once more; the next sample
    // forgets that too.)
    for (FunctionKey key : tracked()) {
      if (!current.containsKey(key)) {
        forget(key);
      }
    }
  }

  private void gauge(
      FunctionKey key,
      Gate gate,
      String name,
      String description,
      java.util.function.ToDoubleFunction<Gate> reading) {
    track(
        key,
        Gauge.builder(name, gate, reading)
            .description(description)
            .tag("function", key.toString())
            .register(registry));
  }

  private void forget(FunctionKey key) {
    windows.remove(key);
    requestCounters.remove(key);
    gauged.remove(key);
    Set<Meter> registered = meters.remove(key);
    if (registered != null) {
      registered.forEach(registry::remove);
    }
  }

  /** The functions this holds any number or meter for: what a sample prunes, and tests check. */
  Set<FunctionKey> tracked() {
    Set<FunctionKey> keys = new java.util.HashSet<>(windows.keySet());
    keys.addAll(requestCounters.keySet());
    keys.addAll(gauged.keySet());
    keys.addAll(meters.keySet());
    return keys;
  }

  /** How many meters the registry holds (tests of pruning). */
  int meterCount() {
    return registry.getMeters().size();
  }

  /** What {@code GET /stats} returns. */
  List<Map<String, Object>> snapshot() {
    return gates.all().entrySet().stream()
        .sorted(
            java.util.Map.Entry.comparingByKey(
                java.util.Comparator.comparing(FunctionKey::toString)))
        .map(
            e -> {
              Window w = windows.getOrDefault(e.getKey(), new Window());
              Map<String, Object> f = new LinkedHashMap<>();
              f.put("namespace", e.getKey().namespace());
              f.put("name", e.getKey().name());
              f.put("averageConcurrency", w.average());
              f.put("peakConcurrency", w.peak());
              f.put("inFlight", e.getValue().inFlight());
              f.put("queued", e.getValue().queued());
              f.put("readyPods", e.getValue().readyPods());
              // The effective limit this activator enforces (0: none), platform caps applied.
              f.put("hardConcurrency", e.getValue().hard());
              Counter count = requestCounters.get(e.getKey());
              f.put("requests", count == null ? 0 : (long) count.count());
              return f;
            })
        .toList();
  }

  /** Average concurrency (in flight + queued) over the last second, per function seen. */
  Map<FunctionKey, Double> averageConcurrency() {
    Map<FunctionKey, Double> result = new LinkedHashMap<>();
    for (Map.Entry<FunctionKey, Window> e : windows.entrySet()) {
      result.put(e.getKey(), e.getValue().average());
    }
    return result;
  }

  /**
   * {@link #snapshot()} as {@code GET /stats} serves it, {@code {"functions": [...]}}, written with
   * Jackson's streaming generator: its values are strings and numbers only.
   */
  String json() {
    java.io.StringWriter out = new java.io.StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("functions");
      for (Map<String, Object> function : snapshot()) {
        json.writeStartObject();
        for (Map.Entry<String, Object> field : function.entrySet()) {
          json.writeObjectField(field.getKey(), field.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString();
  }

  io.micrometer.core.instrument.MeterRegistry registry() {
    return registry;
  }

  String scrape() {
    return registry.scrape();
  }

  /** The last second of samples: a ring of (concurrency, peak since previous sample). */
  static final class Window {
    private final int[] current = new int[WINDOW_SAMPLES];
    private final int[] peaks = new int[WINDOW_SAMPLES];
    private int next;
    private int filled;

    synchronized void add(int concurrency, int peak) {
      current[next] = concurrency;
      peaks[next] = peak;
      next = (next + 1) % WINDOW_SAMPLES;
      filled = Math.min(filled + 1, WINDOW_SAMPLES);
    }

    synchronized double average() {
      if (filled == 0) {
        return 0;
      }
      double sum = 0;
      for (int i = 0; i < filled; i++) {
        sum += current[i];
      }
      return sum / filled;
    }

    synchronized int peak() {
      int max = 0;
      for (int i = 0; i < filled; i++) {
        max = Math.max(max, peaks[i]);
      }
      return max;
    }
  }
}
