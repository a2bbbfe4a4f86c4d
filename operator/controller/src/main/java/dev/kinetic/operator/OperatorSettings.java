package dev.kinetic.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
