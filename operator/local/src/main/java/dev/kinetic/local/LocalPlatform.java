package dev.kinetic.local;

import dev.kinetic.activator.Activator;
import dev.kinetic.activator.ActivatorSettings;
import dev.kinetic.activator.NetworkTransport;
import dev.kinetic.api.Domains;
import dev.kinetic.autoscaler.Autoscaler;
import dev.kinetic.autoscaler.Decision;
import dev.kinetic.autoscaler.Load;
import dev.kinetic.autoscaler.ScaleBackend;
import dev.kinetic.autoscaler.ScalingPolicy;
import dev.kinetic.autoscaler.ScalingSpec;
import dev.kinetic.dispatcher.Dispatcher;
import dev.kinetic.dispatcher.FunctionDirectory;
import dev.kinetic.dispatcher.HttpEventSender;
import dev.kinetic.dispatcher.TriggerCounts;
import dev.kinetic.dispatcher.TriggerRef;
import dev.kinetic.dispatcher.TriggerState;
import dev.kinetic.dispatcher.kafka.KafkaStreams;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.LocalRouteTable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The whole platform in one process: the real activator in front, the real autoscaler decision
 * every tick, local processes as pods, and the real dispatcher firing Triggers through the
 * activator. What a cluster does with Deployments, this does with {@link FunctionPods}.
 */
final class LocalPlatform implements AutoCloseable {
  static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
  static final int DECIDE_EVERY_SAMPLES = 2;

  /** When a Function sets no scale.max locally: a laptop, not a cluster. */
  static final int DEFAULT_LOCAL_MAX = 10;

  private final Vertx vertx;
  private final Activator activator;
  private final ScheduledExecutorService scheduler;
  private final Map<FunctionKey, FunctionPods> functions = new ConcurrentHashMap<>();
  private final Autoscaler<FunctionKey> autoscaler;
  private final Map<String, LocalTrigger> triggers = new ConcurrentHashMap<>();
  private Dispatcher dispatcher;
  private volatile List<String> refused = List.of();
  private LocalRouteTable routes;
  private LocalObjects objects;
  private ClassDataArchives archives = ClassDataArchives.NONE;
  private KafkaStreams kafka;
  private PrintStream out;
  private AutoCloseable accessLog;
  // Set under the lock apply() holds: once stopping, no reload starts or rolls a process.
  private boolean closing;

  private LocalPlatform(
      Vertx vertx, Activator activator, Clock clock, ScheduledExecutorService scheduler) {
    this.vertx = vertx;
    this.activator = activator;
    this.scheduler = scheduler;
    this.autoscaler =
        new Autoscaler<>(
            ScalingPolicy.defaults(),
            () -> Optional.of(loads(activator)),
            new ProcessScaling(),
            clock,
            DECIDE_EVERY_SAMPLES);
  }

  static LocalPlatform start(
      Manifests.Loaded loaded,
      ActivatorSettings settings,
      LocalObjects objects,
      Clock clock,
      PrintStream out)
      throws Exception {
    return start(loaded, settings, objects, ClassDataArchives.NONE, clock, out);
  }

  /** As above, with class-data archives for the function processes (kinetic local's default). */
  static LocalPlatform start(
      Manifests.Loaded loaded,
      ActivatorSettings settings,
      LocalObjects objects,
      ClassDataArchives archives,
      Clock clock,
      PrintStream out)
      throws Exception {
    KafkaClientLog.quiet(clock);
    // The same transport choice as the activator's own process (KINETIC_ACTIVATOR_TRANSPORT).
    Vertx vertx = NetworkTransport.vertx(System.getenv(), new VertxOptions());
    LocalRouteTable routes = new LocalRouteTable();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    LocalPlatform[] self = new LocalPlatform[1];
    Activator activator =
        Activator.start(
                vertx, settings, routes, (key, waiting, seenPods) -> self[0].demand(key, waiting))
            .await(30, TimeUnit.SECONDS);
    LocalPlatform platform = new LocalPlatform(vertx, activator, clock, scheduler);
    self[0] = platform;
    platform.routes = routes;
    platform.objects = objects;
    platform.archives = archives;
    platform.out = out;
    // With KINETIC_ACTIVATOR_ACCESS_LOG=json (kinetic local --access-log): a line per request.
    platform.accessLog =
        settings.accessLogQueue() > 0
            ? Activator.printAccessLog(out, "kinetic: access ")
            : () -> {};
    // Events go through the activator's own port, as the cluster's dispatcher goes through its
    // Service: a function at zero is started for them and its hard limit holds.
    HttpEventSender sender =
        new HttpEventSender(URI.create("http://127.0.0.1:" + activator.port()));
    platform.kafka = new KafkaStreams(sender, platform::secret, KafkaStreams.Settings.DEFAULTS);
    platform.dispatcher =
        new Dispatcher(
            clock,
            sender,
            platform::find,
            new Dispatcher.Listener() {
              @Override
              public void gaveUp(TriggerRef ref, String function, String eventId, String why) {
                out.println("[" + ref + "] event " + eventId + " failed: " + why);
              }

              @Override
              public void gaveUpRecords(TriggerRef ref, String summary) {
                out.println("[" + ref + "] " + summary);
              }
            },
            activator.meterRegistry(),
            Math::random,
            Dispatcher.Settings.DEFAULTS,
            platform.kafka);
    platform.apply(loaded);
    scheduler.scheduleAtFixedRate(
        platform::tick,
        SAMPLE_INTERVAL.toMillis(),
        SAMPLE_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return platform;
  }

  /** The embedded activator's numbers, as the autoscaler reads them: never missing. */
  private static Map<FunctionKey, Load> loads(Activator activator) {
    Map<FunctionKey, Load> loads = new HashMap<>();
    activator
        .load()
        .forEach(
            (key, load) ->
                loads.put(key, new Load(load.averageConcurrency(), load.requestsPerSecond())));
    return loads;
  }

  static ScalingSpec scalingSpec(LocalFunction function) {
    var e = function.effective();
    int max = e.maxScale().orElse(Math.max(DEFAULT_LOCAL_MAX, e.minScale()));
    return new ScalingSpec(
        e.minScale(),
        Math.max(1, max),
        e.targetConcurrency(),
        e.targetRequestsPerSecond(),
        e.idleTimeout(),
        e.window(),
        e.targetUtilizationPercent() / 100.0,
        e.scaleDownDelay());
  }

  int port() {
    return activator.port();
  }

  /**
   * What the dispatcher asks: whether a Function runs here, its timeout, and what it can take at
   * once (its hard limit times the most processes local mode starts for it).
   */
  private Optional<FunctionDirectory.Target> find(String namespace, String name) {
    FunctionPods pods = functions.get(new FunctionKey(namespace, name));
    if (pods == null) {
      return Optional.empty();
    }
    var effective = pods.function().effective();
    int hard = effective.hardConcurrency();
    return Optional.of(
        new FunctionDirectory.Target(
            effective.timeoutSeconds(),
            hard > 0
                ? OptionalInt.of(hard * scalingSpec(pods.function()).max())
                : OptionalInt.empty()));
  }

  /** A Secret as local mode has them: the secrets file's {@code name/key} entries. */
  private Optional<Map<String, String>> secret(String namespace, String name) {
    Map<String, String> data = objects.secret(name);
    return data.isEmpty() ? Optional.empty() : Optional.of(data);
  }

  /** The activator's and the dispatcher's meters, for benchmarks. */
  io.micrometer.core.instrument.MeterRegistry meters() {
    return activator.meterRegistry();
  }

  int adminPort() {
    return activator.adminPort();
  }

  /** The pods of a function, for status and tests. */
  FunctionPods pods(FunctionKey key) {
    return functions.get(key);
  }

  List<FunctionKey> keys() {
    return List.copyOf(functions.keySet());
  }

  /**
   * Makes the running functions those of {@code loaded}: new ones start, removed ones drain and
   * stop, changed ones roll to the new manifest without a gap. A function whose manifest file is
   * now refused keeps running its last good version, and the refusal shows in the status.
   */
  synchronized void apply(Manifests.Loaded loaded) {
    if (closing) {
      return;
    }
    refused = List.copyOf(loaded.problems());
    Map<FunctionKey, LocalFunction> wanted = new LinkedHashMap<>();
    for (FunctionPods running : functions.values()) {
      LocalFunction current = running.function();
      if (loaded.refused().contains(current.manifest().toAbsolutePath().normalize())) {
        wanted.put(current.key(), current);
      }
    }
    for (LocalFunction f : loaded.functions()) {
      wanted.put(f.key(), f);
    }
    for (FunctionKey gone : List.copyOf(functions.keySet())) {
      if (!wanted.containsKey(gone)) {
        out.println("[" + gone + "] manifest removed: stopping");
        functions.remove(gone).close();
      }
    }
    Map<FunctionKey, ScalingSpec> specs = new LinkedHashMap<>();
    for (LocalFunction f : wanted.values()) {
      specs.put(f.key(), scalingSpec(f));
      FunctionPods pods = functions.get(f.key());
      if (pods == null) {
        pods = new FunctionPods(f, routes, objects, archives, scheduler, out);
        functions.put(f.key(), pods);
        pods.scaleTo(f.effective().initialScale());
      } else if (!sameManifest(pods.function(), f)) {
        out.println("[" + f.key() + "] manifest changed: rolling its processes");
        pods.roll(f);
      }
    }
    autoscaler.track(specs);
    // Locally no Function has a status that records who holds a domain: of two claiming one, the
    // first by namespace and name holds it.
    routes.domains(
        Domains.firstClaims(
            wanted.values().stream().map(LocalFunction::function).toList(), LocalFunction::keyOf));
    applyTriggers(loaded);
  }

  /**
   * Hands the dispatcher the Triggers of {@code loaded}, after the functions they name are in
   * place; a Trigger whose manifest is now refused keeps its last good version, as a function does.
   */
  private void applyTriggers(Manifests.Loaded loaded) {
    Map<String, LocalTrigger> wanted = new LinkedHashMap<>();
    for (LocalTrigger current : triggers.values()) {
      if (loaded.refused().contains(current.manifest().toAbsolutePath().normalize())) {
        wanted.put(current.key(), current);
      }
    }
    for (LocalTrigger t : loaded.triggers()) {
      wanted.put(t.key(), t);
    }
    triggers.keySet().retainAll(wanted.keySet());
    triggers.putAll(wanted);
    dispatcher.apply(wanted.values().stream().map(LocalTrigger::trigger).toList());
  }

  /** Re-reads the manifests every {@code interval} and applies what changed. */
  void watch(java.nio.file.Path dir, String java, Duration interval) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            Manifests.Loaded loaded = Manifests.load(dir, java);
            if (!loaded.problems().equals(refused)) {
              loaded.problems().forEach(p -> out.println("refused " + p));
            }
            apply(loaded);
          } catch (java.io.IOException | RuntimeException e) {
            out.println("cannot reload " + dir + ": " + e.getMessage());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Serves {@code GET /status} on {@code port} (0 for any): each function's URL, processes and
   * Ready condition, and every refused manifest with its reason. {@code kinetic status} prints it.
   *
   * @return the port it listens on
   */
  int serveStatus(int port) throws TimeoutException {
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              boolean found = "/status".equals(request.path());
              request
                  .response()
                  .setStatusCode(found ? 200 : 404)
                  .putHeader("Content-Type", "application/json")
                  .end(
                      found
                          ? io.vertx.core.json.Json.encode(status())
                          : "{\"error\":\"not found: only GET /status is served here\"}");
            })
        .listen(port)
        .await(10, TimeUnit.SECONDS)
        .actualPort();
  }

  /** What {@code GET /status} returns. */
  Map<String, Object> status() {
    List<Map<String, Object>> list = new ArrayList<>();
    functions.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(FunctionKey::toString)))
        .forEach(
            e -> {
              FunctionKey key = e.getKey();
              FunctionPods pods = e.getValue();
              LocalCondition ready = pods.condition();
              Map<String, Object> f = new LinkedHashMap<>();
              f.put("namespace", key.namespace());
              f.put("name", key.name());
              f.put(
                  "url",
                  "http://localhost:" + port() + "/" + key.namespace() + "/" + key.name() + "/");
              f.put("manifest", pods.function().manifest().toString());
              f.put("desired", pods.desired());
              f.put("running", pods.running());
              f.put("ready", pods.ready());
              f.put("crashes", pods.crashes());
              f.put(
                  "conditions",
                  List.of(
                      Map.of(
                          "type", "Ready",
                          "status", ready.status(),
                          "reason", ready.reason(),
                          "message", ready.message())));
              list.add(f);
            });
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("functions", list);
    status.put("triggers", triggerStatus());
    status.put("refused", refused);
    return status;
  }

  /** Each Trigger as its status would read on a cluster. */
  private List<Map<String, Object>> triggerStatus() {
    Map<String, TriggerState> states = new HashMap<>();
    dispatcher
        .states()
        .forEach((ref, state) -> states.put(ref.namespace() + "/" + ref.name(), state));
    List<Map<String, Object>> list = new ArrayList<>();
    triggers.values().stream()
        .sorted(Comparator.comparing(LocalTrigger::key))
        .forEach(
            t -> {
              var meta = t.trigger().getMetadata();
              Optional<TriggerState> state = Optional.ofNullable(states.get(t.key()));
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("namespace", meta.getNamespace());
              out.put("name", meta.getName());
              out.put("function", t.trigger().getSpec().getFunction());
              var spec = t.trigger().getSpec();
              out.put(
                  "source",
                  spec.getSchedule() != null
                      ? spec.getSchedule().getCron()
                      : "kafka " + String.join(",", spec.getKafka().getTopics()));
              out.put("manifest", t.manifest().toString());
              out.put(
                  "lastFireTime",
                  state.flatMap(TriggerState::handledUpTo).map(Object::toString).orElse(null));
              out.put(
                  "nextFireTime",
                  state.flatMap(TriggerState::next).map(Object::toString).orElse(null));
              out.put(
                  "lastSuccessfulTime",
                  state.flatMap(TriggerState::lastSuccess).map(Object::toString).orElse(null));
              out.put(
                  "lastFailure",
                  state
                      .flatMap(TriggerState::lastFailure)
                      .map(f -> Map.of("time", f.time().toString(), "message", f.message()))
                      .orElse(null));
              TriggerCounts counts = state.map(TriggerState::counts).orElse(TriggerCounts.NONE);
              out.put("fired", counts.fired());
              out.put("delivered", counts.delivered());
              out.put("failed", counts.failed());
              out.put("skipped", counts.skipped());
              out.put("deadLettered", counts.deadLettered());
              state
                  .flatMap(
                      s ->
                          s.lag().isPresent() ? Optional.of(s.lag().getAsLong()) : Optional.empty())
                  .ifPresent(lag -> out.put("lag", lag));
              out.put(
                  "conditions",
                  List.of(
                      Map.of(
                          "type", "Ready",
                          "status", state.map(TriggerState::readyStatus).orElse("Unknown"),
                          "reason", state.map(TriggerState::reason).orElse(TriggerState.PENDING),
                          "message", state.map(TriggerState::message).orElse("not started yet"))));
              list.add(out);
            });
    return list;
  }

  /** Compared as JSON trees: the model classes have no value equality. */
  private static boolean sameManifest(LocalFunction a, LocalFunction b) {
    return a.command().equals(b.command())
        && JSON.valueToTree(a.function().getSpec()).equals(JSON.valueToTree(b.function().getSpec()))
        && Objects.equals(
            a.function().getMetadata().getAnnotations(),
            b.function().getMetadata().getAnnotations());
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * An activator holds requests for a function with no ready pod: start what they need now. Called
   * on an event loop, so the work (which may start processes) moves to the scheduler.
   */
  private void demand(FunctionKey key, int waiting) {
    // One activator here: it has every slot of every pod, so a signal is always one at zero.
    scheduler.execute(() -> autoscaler.demand(key, waiting, 0));
  }

  /** Every second: one load sample per function; every second tick, a decision. */
  private void tick() {
    try {
      autoscaler.tick();
    } catch (RuntimeException e) {
      // A failed tick must not end the loop: the next one tries again.
      e.printStackTrace();
    }
  }

  /** Local processes as the autoscaler's backend: what a Deployment's scale is on a cluster. */
  private final class ProcessScaling implements ScaleBackend<FunctionKey> {
    @Override
    public OptionalInt currentReplicas(FunctionKey function) {
      FunctionPods pods = functions.get(function);
      return pods == null ? OptionalInt.empty() : OptionalInt.of(pods.desired());
    }

    @Override
    public void scale(FunctionKey function, int from, Decision decision) {
      FunctionPods pods = functions.get(function);
      if (pods != null) {
        // What a cluster says in a ScaledUp or ScaledDown Event, in the same words.
        out.println(
            "["
                + function
                + "] scaled from "
                + from
                + " to "
                + decision.replicas()
                + ": "
                + decision.reason());
        pods.scaleTo(decision.replicas());
      }
    }
  }

  /** A second Ctrl-C: the drain under way answers what is left with 503 now, then stops. */
  public void stopNow() {
    activator.stopNow();
  }

  /**
   * Stops in the order that loses no request: the activator drains first while the autoscaler and
   * the processes still run — a queued request may still need a process started, one in flight
   * finishes on its own — until all are answered or the drain deadline passes (then the rest get
   * 503 shutting_down); only then do the processes get SIGTERM and drain themselves. (Stopping them
   * first left queued requests waiting for pods that never came: issue 23's 33 x 504.)
   */
  @Override
  public void close() {
    // The manifests are no longer read: a reload during the stop handed Triggers to the closed
    // dispatcher ("cannot reload examples: ... rejected", seen on Ctrl-C).
    synchronized (this) {
      closing = true;
    }
    // No new fires once stopping; an event already sent is answered by the drain like any request.
    dispatcher.close();
    kafka.close();
    activator.drain().await();
    try {
      accessLog.close();
    } catch (Exception e) {
      throw new IllegalStateException(e); // removing a log handler throws nothing
    }
    scheduler.shutdownNow();
    for (FunctionPods pods : functions.values()) {
      pods.close();
    }
    vertx.close().await();
  }
}
