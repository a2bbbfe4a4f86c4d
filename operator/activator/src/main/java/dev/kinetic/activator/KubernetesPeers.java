package dev.kinetic.activator;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * The activators of a cluster, from the endpoints of their own Service: sorted by address, each
 * finds its index by its pod's address (the Downward API's status.podIP). The same view on every
 * activator gives the same split of every pod's slots.
 *
 * <p>Every endpoint counts, ready or not, terminating or not: an activator that failed a readiness
 * probe under load, or is draining, still has requests in flight on its share of the pods, so its
 * share stays reserved until its pod is gone (seen on the real node: counting only ready peers let
 * a survivor take every slot while the other's requests still ran). This one counts itself in
 * before its pod shows in the Service.
 *
 * <p>Between a change and the moment every activator has seen it, two activators can briefly
 * disagree: the split is exact once the watch has delivered the change to all of them.
 */
final class KubernetesPeers implements Peers {
  private static final Logger LOG = Logger.getLogger(KubernetesPeers.class.getName());

  private final String selfIp;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Shard current;

  private KubernetesPeers(
      KubernetesClient client, String namespace, String service, String selfIp) {
    this.selfIp = selfIp;
    this.current = new Shard(0, 1);
    this.slices =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(namespace)
            .withLabel("kubernetes.io/service-name", service)
            .runnableInformer(0);
    // The handler reads the informer's store: added once the field is set, before the informer
    // starts (a handler given to inform() ran on the first slices while the field was still null).
    slices.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(EndpointSlice slice) {
            recompute();
          }

          @Override
          public void onUpdate(EndpointSlice before, EndpointSlice after) {
            recompute();
          }

          @Override
          public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
            recompute();
          }
        });
    slices.start().toCompletableFuture().join();
    recompute();
  }

  static KubernetesPeers start(
      KubernetesClient client, String namespace, String service, String selfIp) {
    return new KubernetesPeers(client, namespace, service, selfIp);
  }

  @Override
  public Shard current() {
    return current;
  }

  @Override
  public void subscribe(Runnable changed) {
    listeners.add(changed);
  }

  private synchronized void recompute() {
    Shard next = shard(selfIp, slices.getStore().list());
    if (!next.equals(current)) {
      current = next;
      LOG.info(() -> "activator " + (next.index() + 1) + " of " + next.count());
      listeners.forEach(Runnable::run);
    }
  }

  /** Pure: this activator's shard among every address of the slices, itself included. */
  static Shard shard(String selfIp, List<EndpointSlice> slices) {
    TreeSet<String> addresses = new TreeSet<>();
    for (EndpointSlice slice : slices) {
      for (var endpoint : slice.getEndpoints()) {
        addresses.addAll(endpoint.getAddresses());
      }
    }
    addresses.add(selfIp);
    return new Shard(addresses.headSet(selfIp).size(), addresses.size());
  }
}
