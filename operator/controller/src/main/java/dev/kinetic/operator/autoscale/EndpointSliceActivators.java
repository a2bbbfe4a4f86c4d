package dev.kinetic.operator.autoscale;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The activator replicas as their Service's EndpointSlices list them (from an informer's store).
 * Only ready endpoints count: a starting or terminating activator has nothing to report yet, or no
 * longer carries traffic.
 */
public final class EndpointSliceActivators implements ActivatorEndpoints {
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final Store<EndpointSlice> slices;
  private final String portName;

  public EndpointSliceActivators(Store<EndpointSlice> slices, String portName) {
    this.slices = slices;
    this.portName = portName;
  }

  @Override
  public List<URI> statsUrls() {
    return admins().stream().map(admin -> admin.resolve("/stats")).toList();
  }

  /** The admin port of each ready activator, {@code http://<address>:<port>}. */
  public List<URI> admins() {
    List<URI> urls = new ArrayList<>();
    for (EndpointSlice slice : slices.list()) {
      Integer port = port(slice);
      if (port == null || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint endpoint : slice.getEndpoints()) {
        boolean ready =
            endpoint.getConditions() == null
                || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
        if (ready && endpoint.getAddresses() != null && !endpoint.getAddresses().isEmpty()) {
          String address = endpoint.getAddresses().get(0);
          String host = address.contains(":") ? "[" + address + "]" : address;
          urls.add(URI.create("http://" + host + ":" + port));
        }
      }
    }
    return urls;
  }

  private Integer port(EndpointSlice slice) {
    if (slice.getPorts() == null) {
      return null;
    }
    for (EndpointPort p : slice.getPorts()) {
      if (portName.equals(p.getName())) {
        return p.getPort();
      }
    }
    return null;
  }
}
