package dev.kinetic.operator;

import dev.kinetic.operator.apply.MergePatchWriter;
import dev.kinetic.operator.apply.ResourceWriter;
import dev.kinetic.operator.apply.ServerSideApplyWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wiring: the clock, the writer and leader election. */
public class OperatorBeans {
  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  ResourceWriter writer(KubernetesClient client, OperatorSettings settings) {
    return settings.serverSideApply()
        ? new ServerSideApplyWriter(client)
        : new MergePatchWriter(client);
  }

  /** Two replicas for availability, one active: the Lease decides which (prod profile only). */
  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
    return new LeaderElectionConfiguration(settings.leaseName(), settings.namespace());
  }
}
