package dev.kinetic.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

/**
 * Gives the leader Lease up when the operator shuts down, as client-go's ReleaseOnCancel does:
 * JOSDK 5.3 leaves it held, so during every rollout the standby waited for it to expire (15 s)
 * before taking over. It runs from {@link LostLease} after JOSDK has stopped the controllers and
 * waited for running reconciliations, so the next leader does not overlap with this one; the
 * autoscaler has already stopped deciding.
 */
final class LeaseRelease implements Runnable {
  private static final Logger LOG = Logger.getLogger(LeaseRelease.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;

  LeaseRelease(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  @Override
  public void run() {
    try {
      Lease held = client.leases().inNamespace(namespace).withName(name).get();
      if (held == null
          || held.getSpec() == null
          || !identity.equals(held.getSpec().getHolderIdentity())) {
        LOG.infof(
            "leader lease %s/%s is not held by this replica: nothing to release", namespace, name);
        return;
      }
      // Written with the read resourceVersion: a standby that took the lease meanwhile wins.
      held.getSpec().setHolderIdentity(null);
      held.getSpec().setLeaseDurationSeconds(1);
      client.resource(held).update();
      LOG.infof("leader lease %s/%s released", namespace, name);
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "could not release the leader lease %s/%s (%s): a standby takes over when it expires",
          namespace, name, e.getMessage());
    }
  }
}
