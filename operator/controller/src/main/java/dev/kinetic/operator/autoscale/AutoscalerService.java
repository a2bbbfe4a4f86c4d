package dev.kinetic.operator.autoscale;

import dev.kinetic.api.Function;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.autoscaler.Autoscaler;
import dev.kinetic.autoscaler.Decision;
import dev.kinetic.autoscaler.ScalingPolicy;
import dev.kinetic.autoscaler.ScalingSpec;
import dev.kinetic.operator.OperatorSettings;
import dev.kinetic.operator.limits.ConfigMapLimitsSource;
import dev.kinetic.operator.limits.LimitsReading;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The autoscaler on a cluster: the shared {@link Autoscaler} loop fed by the activators' stats and
 * acting on Deployments. Wiring only; each part is its own class.
 */
@ApplicationScoped
public class AutoscalerService {
  private static final Logger LOG = Logger.getLogger(AutoscalerService.class);

  private final KubernetesClient client;
  private final OperatorSettings operator;
  private final AutoscalerSettings settings;
  private final Clock clock;
  private final Leadership leadership;
  private final MeterRegistry meters;
  private final ActivatorSlices activatorSlices;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Function> functions;
  private ConfigMapLimitsSource limits;
  private Autoscaler<ResourceID> autoscaler;
  private ScheduledExecutorService loop;
  private ThreadPoolExecutor demands;

  public AutoscalerService(
      KubernetesClient client,
      OperatorSettings operator,
      AutoscalerSettings settings,
      Clock clock,
      Leadership leadership,
      MeterRegistry meters,
      ActivatorSlices activatorSlices) {
    this.meters = meters;
    this.activatorSlices = activatorSlices;
    this.client = client;
    this.operator = operator;
    this.settings = settings;
    this.clock = clock;
    this.leadership = leadership;
  }

  void onStart(@Observes StartupEvent event) {
    if (!settings.enabled()) {
      LOG.info("autoscaler disabled (kinetic.autoscaler.enabled=false)");
      return;
    }
    functions = inform(client.resources(Function.class).inAnyNamespace().runnableInformer(0));
    SharedIndexInformer<Deployment> deployments =
        inform(
            client
                .apps()
                .deployments()
                .inAnyNamespace()
                .withLabel(Function.FUNCTION_LABEL)
                .runnableInformer(0));
    SharedIndexInformer<ConfigMap> limitsMap =
        inform(
            client
                .configMaps()
                .inNamespace(operator.namespace())
                .withName(PlatformLimits.CONFIG_MAP_NAME)
                .runnableInformer(0));
    String limitsKey = Cache.namespaceKeyFunc(operator.namespace(), PlatformLimits.CONFIG_MAP_NAME);
    limits =
        new ConfigMapLimitsSource(
            () -> Optional.ofNullable(limitsMap.getStore().getByKey(limitsKey)));

    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.scrapeTimeout()).build();
    ActivatorScraper scraper =
        new ActivatorScraper(
            activatorSlices.activators(), http, settings.scrapeTimeout(), settings.maxStatsBytes());
    autoscaler =
        new Autoscaler<>(
            ScalingPolicy.defaults(),
            AutoscalerMetrics.counting(scraper, meters),
            new DeploymentScaling(
                client, deployments.getStore(), functions.getStore(), clock, meters),
            clock,
            settings.decideEvery());
    Gauge.builder("kinetic.autoscaler.functions", autoscaler, Autoscaler::tracked)
        .description("functions the autoscaler tracks")
        .register(meters);
    Gauge.builder("kinetic.autoscaler.leader", leadership, l -> l.leading() ? 1 : 0)
        .description("1 on the replica that samples and decides")
        .register(meters);
    // One thread for demand signals with a bounded queue: a flood of them is answered 503, never
    // held without bound.
    demands =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(settings.maxPendingDemands()),
            r -> new Thread(r, "kinetic-autoscaler-demand"));
    loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "kinetic-autoscaler"));
    long every = settings.interval().toMillis();
    loop.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    LOG.infof(
        "autoscaler started: a sample every %d ms, a decision every %d samples, activators from"
            + " Service %s/%s",
        every, settings.decideEvery(), operator.namespace(), settings.activatorService());
  }

  private <T> SharedIndexInformer<T> inform(SharedIndexInformer<T> informer) {
    informer.run();
    informers.add(informer);
    return informer;
  }

  /** Every interval: follow the Functions and limits; on the leader, sample and decide. */
  void tick() {
    try {
      follow();
      if (leadership.leading()) {
        autoscaler.tick();
      }
    } catch (RuntimeException e) {
      // One failed tick must not end the loop.
      LOG.error("autoscaler tick failed; the next one tries again", e);
    }
  }

  /** Tracks the Functions as the informer sees them, under the current limits. */
  private void follow() {
    LimitsReading reading = limits.current();
    // Unreadable limits: the reconciler reports them; keep the last specs meanwhile.
    reading
        .limits()
        .ifPresent(
            l -> {
              autoscaler.track(specs(l));
              autoscaler.totalCap(l.maxTotalReplicas());
            });
  }

  private Map<ResourceID, ScalingSpec> specs(PlatformLimits l) {
    Map<ResourceID, ScalingSpec> specs = new HashMap<>();
    for (Function f : functions.getStore().list()) {
      ScalingSpecs.of(f, l).ifPresent(s -> specs.put(ResourceID.fromResource(f), s));
    }
    return specs;
  }

  /** The outcome of a demand signal, for the HTTP route. */
  public enum Outcome {
    SCALED,
    ALREADY_RUNNING,
    UNKNOWN,
    BUSY,
    DISABLED
  }

  /**
   * An activator waits for pods of a function at zero. Answered on a worker with a bounded queue,
   * since scaling writes to the API server.
   */
  public CompletableFuture<Outcome> demand(ResourceID function, int waiting, int seenPods) {
    if (autoscaler == null) {
      return CompletableFuture.completedFuture(Outcome.DISABLED);
    }
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            if (!autoscaler.tracks(function)) {
              // Created since the last tick: follow it now rather than make the requests wait.
              follow();
            }
            if (!autoscaler.tracks(function)) {
              return Outcome.UNKNOWN;
            }
            Optional<Decision> d = autoscaler.demand(function, waiting, seenPods);
            return d.isPresent() ? Outcome.SCALED : Outcome.ALREADY_RUNNING;
          },
          demands);
    } catch (RejectedExecutionException full) {
      return CompletableFuture.completedFuture(Outcome.BUSY);
    }
  }

  OptionalInt tracked() {
    return autoscaler == null ? OptionalInt.empty() : OptionalInt.of(autoscaler.tracked());
  }

  void onStop(@Observes ShutdownEvent event) {
    if (loop != null) {
      loop.shutdownNow();
      demands.shutdownNow();
    }
    informers.forEach(SharedIndexInformer::close);
  }
}
