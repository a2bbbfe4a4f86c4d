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
   * Function (RoutesReady); all are asked at once. An activator silent this long is named in the
   * status.
   */
  @WithDefault("1s")
  Duration routeProbeTimeout();

  /**
   * How soon the activators are asked again while some do not route a Function's generation yet.
   */
  @WithDefault("1s")
  Duration routeProbeInterval();

  /**
   * The longest a reconcile waits for those answers. Past it the activators are still asked, but
   * the reconcile goes on, and their answer brings the next one: an activator that hangs does not
   * hold the operator's reconcile threads.
   */
  @WithDefault("100ms")
  Duration routeProbeWait();
}
