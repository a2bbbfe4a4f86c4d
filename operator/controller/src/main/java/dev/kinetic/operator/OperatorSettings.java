package dev.kinetic.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the operator (application.properties or KINETIC_OPERATOR_* environment). */
@ConfigMapping(prefix = "kinetic.operator")
public interface OperatorSettings {
  /** Namespace the operator runs in; holds the platform-limits ConfigMap and the leader lease. */
  @WithDefault("kinetic-system")
  String namespace();

  /** Write with server-side apply (production). Off only against servers without it. */
  @WithDefault("true")
  boolean serverSideApply();

  /** Cluster DNS domain used in the function URLs reported in status. */
  @WithDefault("cluster.local")
  String clusterDomain();

  /** Name of the Lease that elects the one active operator replica. */
  @WithDefault("kinetic-operator-leader")
  String leaseName();

  /**
   * The longest wait for the activators' answers when the operator asks them whether they route a
   * Function (RoutesReady); all are asked at once. A reconcile waits this long at most.
   */
  @WithDefault("1s")
  Duration routeProbeTimeout();

  /**
   * How soon the activators are asked again while some do not route a Function's generation yet.
   */
  @WithDefault("1s")
  Duration routeProbeInterval();
}
