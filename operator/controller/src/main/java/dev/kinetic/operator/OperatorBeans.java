package dev.kinetic.operator;

import dev.kinetic.operator.apply.MergePatchWriter;
import dev.kinetic.operator.apply.ResourceWriter;
import dev.kinetic.operator.apply.ServerSideApplyWriter;
import dev.kinetic.operator.autoscale.ActivatorSlices;
import dev.kinetic.operator.autoscale.Leadership;
import dev.kinetic.operator.routing.RouteProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.UUID;

/** Wiring: the clock, the writer, the route probe and leader election. */
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

  /** Asks the activators whether they route a Function: RoutesReady, and so Ready. */
  @Produces
  @Singleton
  RouteProbe routeProbe(ActivatorSlices slices, OperatorSettings settings) {
    return new RouteProbe(
        () -> slices.activators().admins(),
        HttpClient.newBuilder().connectTimeout(settings.routeProbeTimeout()).build(),
        settings.routeProbeTimeout(),
        slices.service());
  }

  /** Two replicas for availability, one active: the Lease decides which (prod profile only). */
  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(
      OperatorSettings settings, Leadership leadership, KubernetesClient client) {
    // Named here, not left to JOSDK (which falls back to a random one), so the release knows it.
    String hostname = System.getenv("HOSTNAME");
    String identity =
        hostname == null || hostname.isBlank() ? UUID.randomUUID().toString() : hostname;
    return new LeaderElectionConfiguration(
        settings.leaseName(),
        settings.namespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        identity,
        // The autoscaler acts only on the leader. A lost lease ends the process, but not from
        // inside a shutdown, where JOSDK's own exit (the last argument) would hang; a shutdown
        // gives the lease up instead: LostLease.
        new LeaderCallbacks(
            leadership::started,
            LostLease.exitingThisProcess(
                leadership,
                new LeaseRelease(client, settings.namespace(), settings.leaseName(), identity)),
            leader -> {}),
        false);
  }
}
