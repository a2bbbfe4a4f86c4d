package dev.kinetic.routes;

import dev.kinetic.api.Domains;
import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.PodsService;
import dev.kinetic.api.Visibility;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Routes from the cluster: Functions give the limits, the EndpointSlices of each Function's pods'
 * Service ({@link PodsService}) give the ready pods. Informers only, read-only: the activator never
 * writes to the API server. EndpointSlices carry their Service's labels, so only the Functions'
 * slices are watched.
 *
 * <p>The limits are the effective ones ({@link EffectiveSpec}: spec, defaults and the platform
 * limits), as the operator gives the pods, so that with a platform concurrency cap and {@code hard:
 * 0} the activator holds a burst in its queue instead of letting the pods answer 503. The platform
 * limits come from the {@value PlatformLimits#CONFIG_MAP_NAME} ConfigMap in the platform's
 * namespace, watched by name; one that does not parse keeps the last good limits (the operator
 * reports it).
 */
public final class KubernetesRouteTable implements RouteTable, AutoCloseable {
  static final String BY_FUNCTION = "byFunction";
  private static final Logger LOG = Logger.getLogger(KubernetesRouteTable.class.getName());

  private final SharedIndexInformer<Function> functions;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final SharedIndexInformer<ConfigMap> limitsMap;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile PlatformLimits limits = PlatformLimits.NONE;
  // Who holds each domain (status.domains, assigned by the operator): read on every request routed
  // by path, so a map built when a Function's domains change (rarely) rather than a lookup in the
  // informer's locked index.
  private volatile Map<String, FunctionKey> domains = Map.of();

  /**
   * @param platformNamespace where the platform-limits ConfigMap is; null: no platform limits
   */
  private KubernetesRouteTable(KubernetesClient client, String platformNamespace) {
    this.functions = client.resources(Function.class).inAnyNamespace().runnableInformer(0);
    this.slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inAnyNamespace()
            .withLabel(Function.FUNCTION_LABEL)
            .runnableInformer(0);
    slices.addIndexers(Map.of(BY_FUNCTION, KubernetesRouteTable::functionOfPodsSlice));
    functions.addEventHandler(new DomainChanges());
    functions.addEventHandler(new Notify<>(f -> f.getMetadata().getName()));
    slices.addEventHandler(
        new Notify<>(s -> s.getMetadata().getLabels().get(Function.FUNCTION_LABEL)));
    limitsMap =
        platformNamespace == null
            ? null
            : client
                .configMaps()
                .inNamespace(platformNamespace)
                .withName(PlatformLimits.CONFIG_MAP_NAME)
                .runnableInformer(0);
    if (limitsMap != null) {
      limitsMap.addEventHandler(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap map) {
              limitsChanged(map.getData());
            }

            @Override
            public void onUpdate(ConfigMap before, ConfigMap after) {
              limitsChanged(after.getData());
            }

            @Override
            public void onDelete(ConfigMap map, boolean finalStateUnknown) {
              limitsChanged(Map.of());
            }
          });
    }
  }

  /** Starts the informers and returns once their caches are filled. */
  public static KubernetesRouteTable start(KubernetesClient client, String platformNamespace) {
    KubernetesRouteTable table = new KubernetesRouteTable(client, platformNamespace);
    if (table.limitsMap != null) {
      table.limitsMap.start().toCompletableFuture().join();
    }
    table.functions.start().toCompletableFuture().join();
    table.slices.start().toCompletableFuture().join();
    return table;
  }

  /** Every function's route may change with the limits: all listeners hear of every function. */
  private void limitsChanged(Map<String, String> data) {
    try {
      PlatformLimits next = PlatformLimits.fromConfigMapData(data);
      limits = next;
      LOG.info(() -> "platform limits: " + next);
    } catch (IllegalArgumentException e) {
      LOG.warning(() -> "keeping the last platform limits: " + e.getMessage());
      return;
    }
    for (Function f : functions.getStore().list()) {
      FunctionKey key = new FunctionKey(f.getMetadata().getNamespace(), f.getMetadata().getName());
      listeners.forEach(l -> l.changed(key));
    }
  }

  @Override
  public Optional<Route> route(FunctionKey key) {
    Function function = functions.getStore().getByKey(key.namespace() + "/" + key.name());
    if (function == null) {
      return Optional.empty();
    }
    List<Endpoint> ready = new ArrayList<>();
    List<Endpoint> starting = new ArrayList<>();
    for (EndpointSlice slice : slices.getIndexer().byIndex(BY_FUNCTION, key.toString())) {
      sort(slice, ready, starting);
    }
    EffectiveSpec effective;
    try {
      effective = EffectiveSpec.of(function.getSpec(), limits);
    } catch (RuntimeException invalid) {
      // A spec the operator refuses (it says why in the status) has no pods to route to.
      return Optional.empty();
    }
    return Optional.of(
        new Route(
            key,
            effective.hardConcurrency(),
            Duration.ofSeconds(effective.timeoutSeconds()),
            ready,
            function.getStatus() == null
                ? Optional.empty()
                : Unavailable.fromConditions(function.getStatus().getConditions()),
            starting,
            effective.probePath(),
            effective.visibility() == Visibility.CLUSTER_LOCAL));
  }

  @Override
  public Optional<RouteVersion> version(FunctionKey key) {
    Function function = functions.getStore().getByKey(key.namespace() + "/" + key.name());
    if (function == null) {
      return Optional.empty();
    }
    Long generation = function.getMetadata().getGeneration();
    // A scan of the domains' holders: this is asked once per change of a Function, not per request.
    List<String> held =
        domains.entrySet().stream()
            .filter(e -> e.getValue().equals(key))
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    return Optional.of(
        new RouteVersion(
            function.getMetadata().getUid(), generation == null ? 0 : generation, held));
  }

  @Override
  public Optional<FunctionKey> byDomain(String host) {
    return Optional.ofNullable(domains.get(host));
  }

  /** Builds the domains' holders again when a Function that has or had domains changes. */
  private final class DomainChanges implements ResourceEventHandler<Function> {
    @Override
    public void onAdd(Function f) {
      rebuildIf(!Domains.recorded(f).isEmpty());
    }

    @Override
    public void onUpdate(Function before, Function after) {
      rebuildIf(
          !Domains.of(before).equals(Domains.of(after))
              || !Domains.recorded(before).equals(Domains.recorded(after)));
    }

    @Override
    public void onDelete(Function f, boolean finalStateUnknown) {
      rebuildIf(!Domains.recorded(f).isEmpty());
    }

    private void rebuildIf(boolean changed) {
      if (changed) {
        domains = Domains.holders(functions.getStore().list(), FunctionKey::of);
        LOG.info(() -> "domains: " + domains);
      }
    }
  }

  /**
   * The function whose pods' Service the slice belongs to, as {@code namespace/name}; none for a
   * slice of another Service that carries the label (one left behind by the Service of the
   * function's name, which selected the pods before it became an alias of the activators').
   */
  static List<String> functionOfPodsSlice(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String function = labels.get(Function.FUNCTION_LABEL);
    if (function == null
        || !PodsService.name(function).equals(labels.get(PodsService.SLICE_SERVICE_LABEL))) {
      return List.of();
    }
    return List.of(slice.getMetadata().getNamespace() + "/" + function);
  }

  /**
   * The slice's endpoints that are not terminating, on the slice's port, into those that are ready
   * (the API says a missing condition means ready) and those not ready yet: a pod that has its
   * address but has not passed the kubelet's readiness probe, or failed it since. One pass: this
   * runs for every request.
   */
  static void sort(EndpointSlice slice, List<Endpoint> ready, List<Endpoint> starting) {
    List<EndpointPort> ports = slice.getPorts();
    if (ports == null || ports.isEmpty() || ports.get(0).getPort() == null) {
      return;
    }
    int port = ports.get(0).getPort();
    for (var endpoint : slice.getEndpoints()) {
      var conditions = endpoint.getConditions();
      boolean isReady = conditions == null || !Boolean.FALSE.equals(conditions.getReady());
      boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
      if (!terminating) {
        for (String address : endpoint.getAddresses()) {
          (isReady ? ready : starting).add(new Endpoint(address, port));
        }
      }
    }
  }

  @Override
  public void subscribe(Listener listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    functions.close();
    slices.close();
    if (limitsMap != null) {
      limitsMap.close();
    }
  }

  /** Any change of a Function or one of its slices: tell the listeners which function. */
  private final class Notify<T extends HasMetadata> implements ResourceEventHandler<T> {
    private final java.util.function.Function<T, String> functionName;

    Notify(java.util.function.Function<T, String> functionName) {
      this.functionName = functionName;
    }

    @Override
    public void onAdd(T obj) {
      changed(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      changed(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      changed(obj);
    }

    private void changed(T obj) {
      String name = functionName.apply(obj);
      if (name == null) {
        return;
      }
      FunctionKey key = new FunctionKey(obj.getMetadata().getNamespace(), name);
      for (Listener listener : listeners) {
        listener.changed(key);
      }
    }
  }
}
