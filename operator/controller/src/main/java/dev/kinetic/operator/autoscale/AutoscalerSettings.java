package dev.kinetic.operator.autoscale;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the autoscaler in the operator (application.properties or KINETIC_AUTOSCALER_*). */
@ConfigMapping(prefix = "kinetic.autoscaler")
public interface AutoscalerSettings {
  /** Off leaves replicas to whoever sets them (kubectl scale, an HPA). */
  @WithDefault("true")
  boolean enabled();

  /** How often every activator's stats are collected: one load sample per function. */
  @WithDefault("1s")
  Duration interval();

  /** Decide on every n-th sample; the samples in between only fill the windows. */
  @WithDefault("2")
  int decideEvery();

  /** The activators' Service, in the operator's namespace; its EndpointSlices list the replicas. */
  @WithDefault("kinetic-activator")
  String activatorService();

  /** The name of the activators' port that serves {@code /stats}. */
  @WithDefault("admin")
  String activatorStatsPort();

  /**
   * The longest wait for one activator's stats. A late or failed answer makes the whole sample
   * missing (never a partial sum), and the autoscaler holds.
   */
  @WithDefault("500ms")
  Duration scrapeTimeout();

  /**
   * The largest stats answer read from one activator (about 100 bytes per function it knows); a
   * larger one is cut off and the sample is missing.
   */
  @WithDefault("8388608")
  long maxStatsBytes();

  /** Demand signals kept waiting for the autoscaler's lock at most; more are answered 503. */
  @WithDefault("1000")
  int maxPendingDemands();
}
