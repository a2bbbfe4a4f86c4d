package dev.kinetic.dispatcher.cluster;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.Trigger;
import dev.kinetic.dispatcher.Dispatcher;
import dev.kinetic.dispatcher.EventSender;
import dev.kinetic.dispatcher.FunctionDirectory;
import dev.kinetic.dispatcher.TriggerProblem;
import dev.kinetic.dispatcher.TriggerRef;
import dev.kinetic.dispatcher.TriggerState;
import dev.kinetic.dispatcher.kafka.KafkaStreams;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The dispatcher on a cluster: Triggers and Functions from informers, and a Lease so that of all
 * replicas only the leader fires and consumes. The others keep their caches warm and take over when
 * the leader's Lease runs out; the new leader starts each schedule from the Trigger's
 * status.lastFireTime, so a scheduled time the old leader recorded is not fired again.
 */
public final class ClusterDispatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClusterDispatcher.class.getName());

  private final KubernetesClient client;
  private final DispatcherSettings settings;
  private final EventSender sender;
  private final MeterRegistry registry;
  private final Clock clock;
  private final SharedIndexInformer<Trigger> triggers;
  private final SharedIndexInformer<Function> functions;
  private final StatusWriter status;
  private final DeliveryFailures failures;
  private final ScheduledExecutorService background;
  private final KafkaStreams kafka;
  private volatile Dispatcher leading;
  private volatile CompletableFuture<?> election;
  private volatile boolean closed;

  private ClusterDispatcher(
      KubernetesClient client,
      DispatcherSettings settings,
      EventSender sender,
      MeterRegistry registry,
      Clock clock) {
    this.client = client;
    this.settings = settings;
    this.sender = sender;
    this.registry = registry;
    this.clock = clock;
    this.background =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "kinetic-dispatcher-cluster");
              t.setDaemon(true);
              return t;
            });
    ResourceEventHandler<Object> changed = new Changed();
    this.triggers = client.resources(Trigger.class).inAnyNamespace().inform(cast(changed), 0);
    this.functions = client.resources(Function.class).inAnyNamespace().inform(cast(changed), 0);
    this.status = new StatusWriter(client, this::stored, clock);
    this.failures = new DeliveryFailures(client, clock, "kinetic-dispatcher");
    this.kafka = new KafkaStreams(sender, this::secret, settings.kafka());
  }

  /** Watches Triggers and Functions in every namespace and joins the election. */
  public static ClusterDispatcher start(
      KubernetesClient client,
      DispatcherSettings settings,
      EventSender sender,
      MeterRegistry registry,
      Clock clock) {
    ClusterDispatcher d = new ClusterDispatcher(client, settings, sender, registry, clock);
    long every = settings.statusInterval().toMillis();
    d.background.scheduleWithFixedDelay(d::flushQuietly, every, every, TimeUnit.MILLISECONDS);
    d.elect();
    return d;
  }

  /** Both caches are filled: what /readyz reports. */
  public boolean ready() {
    return triggers.hasSynced() && functions.hasSynced();
  }

  /** Whether this replica holds the Lease and fires. */
  public boolean isLeader() {
    return leading != null;
  }

  private void elect() {
    if (closed) {
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(settings.lease())
            .withLock(new LeaseLock(settings.namespace(), settings.lease(), settings.identity()))
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    this::startLeading,
                    this::stopLeading,
                    leader -> LOG.info(() -> "dispatcher leader: " + leader)))
            .build();
    election = client.leaderElector().withConfig(config).build().start();
    // An elector ends when it loses the Lease: stand again, unless this replica is stopping.
    election.whenComplete(
        (ok, failure) ->
            background.schedule(
                this::elect, settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS));
  }

  private synchronized void startLeading() {
    if (closed || leading != null) {
      return;
    }
    LOG.info(() -> settings.identity() + " leads: firing schedules");
    leading =
        new Dispatcher(
            clock,
            sender,
            this::find,
            new Dispatcher.Listener() {
              @Override
              public void stateChanged(TriggerRef ref, TriggerState state) {
                status.record(ref, state);
              }

              @Override
              public void gaveUp(TriggerRef ref, String function, String eventId, String why) {
                background.execute(() -> failures.report(ref, eventId, function, why));
              }

              @Override
              public void gaveUpRecords(TriggerRef ref, String summary) {
                background.execute(() -> failures.reportRecords(ref, summary));
              }
            },
            registry,
            Math::random,
            new Dispatcher.Settings(settings.maxInFlightPerTrigger()),
            kafka);
    leading.apply(triggers.getStore().list());
  }

  /** Stops firing at once; what it recorded is written before another replica may lead. */
  private synchronized void stopLeading() {
    Dispatcher stopping = leading;
    leading = null;
    if (stopping != null) {
      LOG.info(() -> settings.identity() + " no longer leads: stopped firing");
      stopping.close();
      flushQuietly();
    }
  }

  private void reapply() {
    Dispatcher d = leading;
    if (d != null) {
      d.apply(triggers.getStore().list());
    }
  }

  private Optional<FunctionDirectory.Target> find(String namespace, String name) {
    return Optional.ofNullable(functions.getStore().getByKey(namespace + "/" + name))
        .map(f -> Optional.ofNullable(f.getSpec()).orElseGet(FunctionSpec::new))
        .map(spec -> FunctionDirectory.Target.of(EffectiveSpec.of(spec, PlatformLimits.NONE)));
  }

  /** A Secret's data, decoded; read when a Kafka Trigger starts, never cached or logged. */
  private Optional<Map<String, String>> secret(String namespace, String name) {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      // Forbidden, for one, where an admin removed the dispatcher's right to read Secrets.
      throw new TriggerProblem(
          TriggerProblem.SECRET_NOT_FOUND,
          "cannot read Secret "
              + name
              + " in namespace "
              + namespace
              + ": HTTP "
              + e.getCode()
              + " "
              + Optional.ofNullable(e.getStatus()).map(st -> st.getReason()).orElse(""));
    }
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> data = new HashMap<>();
    Optional.ofNullable(secret.getData())
        .orElse(Map.of())
        .forEach(
            (k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    Optional.ofNullable(secret.getStringData()).orElse(Map.of()).forEach(data::put);
    return Optional.of(data);
  }

  private Optional<Trigger> stored(TriggerRef ref) {
    return Optional.ofNullable(triggers.getStore().getByKey(ref.namespace() + "/" + ref.name()));
  }

  private void flushQuietly() {
    try {
      status.flush();
    } catch (RuntimeException e) {
      LOG.warning("status flush failed: " + e);
    }
  }

  /** Stops firing, writes the last status, and releases the Lease for the next replica. */
  @Override
  public void close() {
    closed = true;
    stopLeading();
    CompletableFuture<?> e = election;
    if (e != null) {
      e.cancel(true);
    }
    triggers.close();
    functions.close();
    background.shutdownNow();
    kafka.close();
  }

  /** Any change to a Trigger or a Function: hand the dispatcher the Triggers again. */
  private final class Changed implements ResourceEventHandler<Object> {
    @Override
    public void onAdd(Object obj) {
      reapply();
    }

    @Override
    public void onUpdate(Object oldObj, Object newObj) {
      reapply();
    }

    @Override
    public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
      reapply();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
    return (ResourceEventHandler<T>) handler;
  }
}
