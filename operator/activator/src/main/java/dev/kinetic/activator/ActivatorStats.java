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
import java.util.Comparator;
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
 * between samples are not lost: the gate keeps the highest value it saw since the last sample. The
 * requests that arrived between samples are kept in the same window, for the requests per second.
 */
final class ActivatorStats {
  static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);
  static final int WINDOW_SAMPLES = 10;
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The response histogram's buckets: a few, fixed, so recording stays cheap on the hot path (a
   * percentile histogram has hundreds) while a dashboard can still tell 5 ms from 50 ms and a cold
   * start from a timeout.
   */
  static final Duration[] RESPONSE_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private final Gates gates;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // One entry per function, for one life of its gate. Every number is recorded against the gate
  // the request was admitted by, and an entry is dropped only when, at that moment, its gate is no
  // longer the function's: a request that creates a gate between a sample's look at the gates and
  // its pruning is counted, not forgotten with the function it was thought to be.
  private final Map<FunctionKey, Numbers> functions = new ConcurrentHashMap<>();

  ActivatorStats(Gates gates) {
    this.gates = gates;
  }

  /** Counts a request the gate is about to be asked for; the gate exists by then. */
  void requestArrived(FunctionKey key, Gate gate) {
    numbers(key, gate).requests.increment();
  }

  /** How long a request waited for a slot; the histogram shows cold-start waits. */
  void waited(FunctionKey key, Gate gate, long nanos, boolean coldStart) {
    numbers(key, gate)
        .track(
            Timer.builder("kinetic.activator.wait")
                .description("time requests waited for a slot on a pod")
                .tag("function", key.toString())
                .tag("cold_start", Boolean.toString(coldStart))
                .publishPercentileHistogram()
                .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A request ended: how long it took from its arrival until its answer's end (a WebSocket: until
   * it closed), by the class of the status its client got, whether the pod's or the activator's own
   * ({@code status} 0: none, the client left first).
   */
  void responded(FunctionKey key, Gate gate, int status, long nanos) {
    numbers(key, gate).response(status / 100).record(nanos, TimeUnit.NANOSECONDS);
  }

  void rejected(FunctionKey key, Gate gate, String reason) {
    numbers(key, gate)
        .track(
            Counter.builder("kinetic.activator.rejected")
                .description(
                    "requests the activator answered itself (queue full, wait timed out, pod"
                        + " unreachable)")
                .tag("function", key.toString())
                .tag("reason", reason)
                .register(registry))
        .increment();
  }

  private Numbers numbers(FunctionKey key, Gate gate) {
    Numbers numbers = functions.get(key);
    if (numbers != null && numbers.gate == gate) {
      return numbers; // the hot path: no lock
    }
    return functions.compute(
        key,
        (k, before) -> {
          if (before != null && before.gate == gate) {
            return before;
          }
          if (before != null) {
            // Created again: the old numbers read a gate no longer used, they are another's.
            before.unregister();
          }
          return new Numbers(k, gate);
        });
  }

  /**
   * One sample of every function, and the forgetting of functions whose route is gone; run every
   * {@link #SAMPLE_INTERVAL}, always on the same thread.
   */
  void sample() {
    for (Map.Entry<FunctionKey, Gate> entry : gates.all().entrySet()) {
      int[] sample = entry.getValue().sample();
      Numbers numbers = numbers(entry.getKey(), entry.getValue());
      numbers.window.add(sample[0], sample[1], numbers.arrivedSinceLastSample());
    }
    // A deleted function's numbers go with it: memory follows the functions there are, not all
    // there ever were. Decided per function under its entry's lock against the live gates, so a
    // request recording against a gate created a moment ago keeps what it recorded. (One that
    // raced the deletion recorded against a gate already gone; the next sample drops that.)
    for (FunctionKey key : functions.keySet()) {
      functions.computeIfPresent(
          key,
          (k, numbers) -> {
            if (gates.get(k) == numbers.gate) {
              return numbers;
            }
            numbers.unregister();
            return null;
          });
    }
  }

  /** The functions this holds any number or meter for: what a sample prunes, and tests check. */
  Set<FunctionKey> tracked() {
    return Set.copyOf(functions.keySet());
  }

  /** How many meters the registry holds (tests of pruning). */
  int meterCount() {
    return registry.getMeters().size();
  }

  /** What {@code GET /stats} returns. */
  List<Map<String, Object>> snapshot() {
    return gates.all().entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(FunctionKey::toString)))
        .map(
            e -> {
              Numbers numbers = functions.get(e.getKey());
              // Numbers of an earlier gate of the same name are another life's: none yet.
              boolean current = numbers != null && numbers.gate == e.getValue();
              Window w = current ? numbers.window : new Window();
              Map<String, Object> f = new LinkedHashMap<>();
              f.put("namespace", e.getKey().namespace());
              f.put("name", e.getKey().name());
              f.put("averageConcurrency", w.average());
              f.put("peakConcurrency", w.peak());
              f.put("requestsPerSecond", w.requestsPerSecond());
              f.put("inFlight", e.getValue().inFlight());
              f.put("queued", e.getValue().queued());
              f.put("readyPods", e.getValue().readyPods());
              // The effective limit this activator enforces (0: none), platform caps applied.
              f.put("hardConcurrency", e.getValue().hard());
              f.put("requests", current ? (long) numbers.requests.count() : 0L);
              return f;
            })
        .toList();
  }

  /**
   * Per function seen, over the last second: the average concurrency (in flight + queued) and the
   * requests that arrived, per second.
   */
  Map<FunctionKey, FunctionLoad> load() {
    Map<FunctionKey, FunctionLoad> result = new LinkedHashMap<>();
    for (Map.Entry<FunctionKey, Numbers> e : functions.entrySet()) {
      Window w = e.getValue().window;
      result.put(e.getKey(), new FunctionLoad(w.average(), w.requestsPerSecond()));
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

  /**
   * One function's meters and window, for one gate: the request counter and the two gauges from the
   * start, a wait timer and rejection counter per tag as they first happen.
   */
  private final class Numbers {
    final Gate gate;
    final String function;
    // By status class, 1xx to 5xx, and 0: no answer. Made as each first happens.
    private final Timer[] responses = new Timer[6];
    final Window window = new Window();
    final Counter requests;
    // The counter's value at the previous sample; read and written by the sampling thread only.
    private long counted;
    private final Set<Meter> registered = ConcurrentHashMap.newKeySet();
    private volatile boolean gone;

    Numbers(FunctionKey key, Gate gate) {
      this.gate = gate;
      this.function = key.toString();
      this.requests =
          track(
              Counter.builder("kinetic.activator.requests")
                  .description("requests received for a function")
                  .tag("function", function)
                  .register(registry));
      track(
          Gauge.builder("kinetic.activator.queued", gate, Gate::queued)
              .description("requests waiting for a slot")
              .tag("function", function)
              .register(registry));
      track(
          Gauge.builder("kinetic.activator.in.flight", gate, Gate::inFlight)
              .description("requests on their way to or from a pod")
              .tag("function", function)
              .register(registry));
    }

    /**
     * The response timer of a status class. Two event loops making the same one at once get the
     * same meter from the registry.
     */
    Timer response(int statusClass) {
      int i = statusClass >= 1 && statusClass <= 5 ? statusClass : 0;
      Timer timer = responses[i];
      if (timer == null) {
        timer =
            track(
                Timer.builder("kinetic.activator.response")
                    .description(
                        "time from a request's arrival to the end of its answer, by the class of"
                            + " the status the client got (none: it left first)")
                    .tag("function", function)
                    .tag("code_class", i == 0 ? "none" : i + "xx")
                    .serviceLevelObjectives(RESPONSE_BUCKETS)
                    .register(registry));
        responses[i] = timer;
      }
      return timer;
    }

    /** Requests counted since the previous call: the sampling thread's share of the counter. */
    int arrivedSinceLastSample() {
      long now = (long) requests.count();
      int arrived = (int) Math.min(Integer.MAX_VALUE, now - counted);
      counted = now;
      return arrived;
    }

    <M extends Meter> M track(M meter) {
      registered.add(meter);
      if (gone) {
        // Recorded by a request that raced the pruning: the meter must not outlive these numbers.
        registry.remove(meter);
      }
      return meter;
    }

    void unregister() {
      gone = true;
      registered.forEach(registry::remove);
    }
  }

  /**
   * The last second of samples: a ring of (concurrency, peak since previous sample, requests
   * arrived since previous sample).
   */
  static final class Window {
    private final int[] current = new int[WINDOW_SAMPLES];
    private final int[] peaks = new int[WINDOW_SAMPLES];
    private final int[] arrivals = new int[WINDOW_SAMPLES];
    private int next;
    private int filled;

    synchronized void add(int concurrency, int peak, int arrived) {
      current[next] = concurrency;
      peaks[next] = peak;
      arrivals[next] = arrived;
      next = (next + 1) % WINDOW_SAMPLES;
      filled = Math.min(filled + 1, WINDOW_SAMPLES);
    }

    synchronized double average() {
      return filled == 0 ? 0 : (double) sumOfHeld(current) / filled;
    }

    /**
     * Requests that arrived over the samples held, per second. Before a second of samples, over the
     * time there is: a function's first requests are a rate, not a fraction of one.
     */
    synchronized double requestsPerSecond() {
      return filled == 0
          ? 0
          : sumOfHeld(arrivals) / (filled * (SAMPLE_INTERVAL.toMillis() / 1000.0));
    }

    private long sumOfHeld(int[] ring) {
      long sum = 0;
      for (int i = 0; i < filled; i++) {
        sum += ring[i];
      }
      return sum;
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
