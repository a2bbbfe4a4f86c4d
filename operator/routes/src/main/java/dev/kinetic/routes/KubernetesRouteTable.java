package dev.kinetic.routes;

import dev.kinetic.api.Function;
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

/**
 * Routes from the cluster: Functions give the limits, the EndpointSlices of each Function's Service
 * give the ready pods. Two informers, read-only: the activator never writes to the API server.
 * EndpointSlices carry their Service's labels, so only the Functions' slices are watched.
 */
public final class KubernetesRouteTable implements RouteTable, AutoCloseable {
  static final String BY_FUNCTION = "byFunction";
  private static final int DEFAULT_TIMEOUT_SECONDS = 30;

  private final SharedIndexInformer<Function> functions;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  private KubernetesRouteTable(KubernetesClient client) {
    this.functions = client.resources(Function.class).inAnyNamespace().runnableInformer(0);
    this.slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inAnyNamespace()
            .withLabel(Function.FUNCTION_LABEL)
            .runnableInformer(0);
    slices.addIndexers(
        Map.of(
            BY_FUNCTION,
            slice ->
                List.of(
                    slice.getMetadata().getNamespace()
                        + "/"
                        + slice.getMetadata().getLabels().get(Function.FUNCTION_LABEL))));
    functions.addEventHandler(new Notify<>(f -> f.getMetadata().getName()));
    slices.addEventHandler(
        new Notify<>(s -> s.getMetadata().getLabels().get(Function.FUNCTION_LABEL)));
  }

  /** Starts both informers and returns once their caches are filled. */
  public static KubernetesRouteTable start(KubernetesClient client) {
    KubernetesRouteTable table = new KubernetesRouteTable(client);
    table.functions.start().toCompletableFuture().join();
    table.slices.start().toCompletableFuture().join();
    return table;
  }

  @Override
  public Optional<Route> route(FunctionKey key) {
    Function function = functions.getStore().getByKey(key.namespace() + "/" + key.name());
    if (function == null) {
      return Optional.empty();
    }
    List<Endpoint> ready = new ArrayList<>();
    for (EndpointSlice slice : slices.getIndexer().byIndex(BY_FUNCTION, key.toString())) {
      ready.addAll(readyEndpoints(slice));
    }
    var spec = function.getSpec();
    int hard =
        spec.getConcurrency() == null || spec.getConcurrency().getHard() == null
            ? 0
            : spec.getConcurrency().getHard();
    int timeout =
        spec.getTimeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : spec.getTimeoutSeconds();
    return Optional.of(new Route(key, hard, Duration.ofSeconds(timeout), ready));
  }

  /**
   * Addresses of endpoints that are ready (the API says a missing condition means ready) and not
   * terminating, on the slice's port.
   */
  static List<Endpoint> readyEndpoints(EndpointSlice slice) {
    List<Endpoint> ready = new ArrayList<>();
    List<EndpointPort> ports = slice.getPorts();
    if (ports == null || ports.isEmpty() || ports.get(0).getPort() == null) {
      return ready;
    }
    int port = ports.get(0).getPort();
    for (var endpoint : slice.getEndpoints()) {
      var conditions = endpoint.getConditions();
      boolean isReady = conditions == null || !Boolean.FALSE.equals(conditions.getReady());
      boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
      if (isReady && !terminating) {
        for (String address : endpoint.getAddresses()) {
          ready.add(new Endpoint(address, port));
        }
      }
    }
    return ready;
  }

  @Override
  public void subscribe(Listener listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    functions.close();
    slices.close();
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
