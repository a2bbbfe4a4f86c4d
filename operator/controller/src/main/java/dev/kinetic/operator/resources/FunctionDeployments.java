package dev.kinetic.operator.resources;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import dev.kinetic.api.RuntimeEnvironment;
import dev.kinetic.operator.autoscale.DeploymentScaling;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Deployment that runs a function's pods. Pure: the same Function and settings always give the
 * same object, which is what the reconciler compares and applies.
 *
 * <p>{@code spec.replicas} is deliberately absent: the autoscaler owns it, so it never counts as
 * drift. {@link #forCreation} sets it to the initial scale; {@link #keepingScale} carries the
 * current value into every later write, so a write by the operator never changes the scale (nor the
 * reason the autoscaler gave for it).
 */
public final class FunctionDeployments {
  public static final String CONTAINER_NAME = "function";
  public static final String PORT_NAME = "http";

  /** The function runtime's Prometheus port, by name: what the chart's PodMonitor scrapes. */
  public static final String METRICS_PORT_NAME = "metrics";

  /** Extra seconds beyond the request timeout for the runtime to finish its drain and exit. */
  static final int DRAIN_MARGIN_SECONDS = 5;

  /**
   * Seconds a terminating pod keeps serving before its SIGTERM: it leaves its Service's endpoints
   * at once, but the activators learn it through their watch a moment later and may still send it a
   * request, on a connection the draining runtime is closing (seen on the real node: 2 of 8,000
   * requests answered 502 during an env edit's rollout).
   */
  static final int PRE_STOP_SECONDS = 3;

  /**
   * Seconds a container has to answer its first health check before the kubelet restarts it. Until
   * then neither liveness nor readiness is probed: a JVM that takes 20 s to start on a node busy
   * starting twenty others is slow, not dead (seen on the real node: starting pods failed liveness
   * checks with "connection refused" while they were still loading).
   */
  static final int STARTUP_SECONDS = 120;

  /**
   * How long a liveness check may take. The kubelet's default of 1 s restarts a function whose node
   * is merely busy (seen on the real node: liveness checks timed out on pods serving a burst, two
   * in a row on one of them — one more and it would have been killed with requests in flight).
   * Liveness is for a process that stopped answering, not one that answers slowly.
   */
  static final int LIVENESS_TIMEOUT_SECONDS = 5;

  /**
   * Writable scratch space for a read-only root filesystem (the JVM needs /tmp), for a Function
   * that sets no {@code ephemeral-storage} limit.
   */
  static final String TMP_SIZE = "64Mi";

  private FunctionDeployments() {}

  public static Deployment desired(Function function, EffectiveSpec effective) {
    FunctionSpec spec = function.getSpec();
    boolean wantsToken = spec.getServiceAccountName() != null;
    return new DeploymentBuilder()
        .withMetadata(Owners.ownedMetadata(function))
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(Labels.selector(function))
        .endSelector()
        .withRevisionHistoryLimit(3)
        // A new pod must be ready before an old one goes, so a rollout never drops capacity.
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(0))
        .withMaxSurge(new IntOrString("25%"))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Labels.of(function))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(spec.getServiceAccountName())
        .withImagePullSecrets(spec.getImagePullSecrets())
        // Absent rather than empty when there is none: the API server stores an empty one as
        // absent, and the desired state must equal what it stores.
        .withNodeSelector(
            effective.placement().nodeSelector().isEmpty()
                ? null
                : new java.util.LinkedHashMap<>(effective.placement().nodeSelector()))
        .withTolerations(
            effective.placement().tolerations().isEmpty()
                ? null
                : new java.util.ArrayList<>(effective.placement().tolerations()))
        .withPriorityClassName(effective.placement().priorityClassName().orElse(null))
        .withAffinity(spec.getAffinity())
        .withTopologySpreadConstraints(spread(function))
        .withAutomountServiceAccountToken(wantsToken)
        // Service links put one variable per Service in the namespace into every pod: slow and
        // leaky.
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(
            (long) PRE_STOP_SECONDS + effective.timeoutSeconds() + DRAIN_MARGIN_SECONDS)
        .withSecurityContext(
            new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                .build())
        .withContainers(container(function, effective))
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .withSizeLimit(tmpSize(spec))
        .endEmptyDir()
        .endVolume()
        .addAllToVolumes(FunctionVolumes.volumes(spec))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The Function's spread constraints, each without a label selector given the Function's own pods:
   * a constraint that selects no pod counts none in every zone and spreads nothing, which is never
   * what its author meant. Null without any, as the API server stores none.
   */
  static List<TopologySpreadConstraint> spread(Function function) {
    List<TopologySpreadConstraint> constraints = function.getSpec().getTopologySpreadConstraints();
    if (constraints == null || constraints.isEmpty()) {
      return null;
    }
    List<TopologySpreadConstraint> spread = new ArrayList<>();
    for (TopologySpreadConstraint c : constraints) {
      spread.add(
          c.getLabelSelector() != null
              ? c
              : new TopologySpreadConstraintBuilder(c)
                  .withNewLabelSelector()
                  .withMatchLabels(Labels.selector(function))
                  .endLabelSelector()
                  .build());
    }
    return spread;
  }

  /**
   * The object to create when none exists yet: the desired one at the initial scale, with the
   * reason for that scale where the autoscaler records its own, so the status says why a function
   * with {@code scale.min: 2} has two pods before the autoscaler has changed anything.
   */
  public static Deployment forCreation(Function function, EffectiveSpec effective, Instant now) {
    Deployment deployment = desired(function, effective);
    deployment.getSpec().setReplicas(effective.initialScale());
    annotate(
        deployment,
        Map.of(
            DeploymentScaling.REASON_ANNOTATION,
            creationReason(function, effective),
            DeploymentScaling.TIME_ANNOTATION,
            now.toString()));
    return deployment;
  }

  static String creationReason(Function function, EffectiveSpec effective) {
    int pods = effective.initialScale();
    if (pods == 0) {
      return "created at zero pods: the first request starts one";
    }
    boolean explicit =
        function.getSpec().getScale() != null && function.getSpec().getScale().getInitial() != null;
    return "created with "
        + pods
        + (pods == 1 ? " pod: " : " pods: ")
        + (explicit ? "scale.initial is " : "scale.min is ")
        + pods;
  }

  /**
   * The object to write over {@code actual}: the desired one at the scale {@code actual} has now.
   * Applying it keeps whatever replicas the autoscaler (or {@code kubectl scale}) set, and, since
   * the operator applied replicas at creation, it must keep applying them or the server would drop
   * the field back to its default of 1.
   */
  public static Deployment keepingScale(Deployment desired, Deployment actual) {
    Deployment write =
        new DeploymentBuilder(desired)
            .editSpec()
            .withReplicas(actual.getSpec() == null ? null : actual.getSpec().getReplicas())
            .endSpec()
            .build();
    // The same for the scale's reason and time, which the operator applied at creation: carried
    // as they are now (the autoscaler's or the creation's), never dropped or changed.
    Map<String, String> now =
        actual.getMetadata().getAnnotations() == null
            ? Map.of()
            : actual.getMetadata().getAnnotations();
    Map<String, String> carried = new LinkedHashMap<>();
    for (String key :
        List.of(DeploymentScaling.REASON_ANNOTATION, DeploymentScaling.TIME_ANNOTATION)) {
      if (now.containsKey(key)) {
        carried.put(key, now.get(key));
      }
    }
    annotate(write, carried);
    return write;
  }

  /**
   * Adds {@code entries} to the Deployment's own annotations; none added leaves them as they are.
   */
  private static void annotate(Deployment deployment, Map<String, String> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (deployment.getMetadata().getAnnotations() != null) {
      annotations.putAll(deployment.getMetadata().getAnnotations());
    }
    annotations.putAll(entries);
    deployment.getMetadata().setAnnotations(annotations);
  }

  private static Container container(Function function, EffectiveSpec effective) {
    FunctionSpec spec = function.getSpec();
    return new ContainerBuilder()
        .withName(CONTAINER_NAME)
        .withImage(spec.getImage())
        .withCommand(spec.getCommand())
        .withArgs(spec.getArgs())
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(effective.port())
        .withProtocol("TCP")
        .endPort()
        // Declared so a PodMonitor can name it (the chart's); the runtime serves /metrics there.
        .addNewPort()
        .withName(METRICS_PORT_NAME)
        .withContainerPort(RuntimeEnvironment.metricsPort(effective.port()))
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(function, effective))
        .withEnvFrom(spec.getEnvFrom())
        .withResources(resources(spec, effective))
        .withStartupProbe(probe(effective.probePath(), 1, STARTUP_SECONDS, 1))
        .withReadinessProbe(probe(effective.probePath(), 1, 3, 1))
        // A process that stopped listening is restarted; one that listens but hangs is bounded by
        // the function's timeout instead. An HTTP liveness path would have to be one that any
        // image answers, and there is none.
        .withLivenessProbe(probe(Optional.empty(), 10, 3, LIVENESS_TIMEOUT_SECONDS))
        .withNewLifecycle()
        .withNewPreStop()
        .withNewSleep()
        .withSeconds((long) PRE_STOP_SECONDS)
        .endSleep()
        .endPreStop()
        .endLifecycle()
        .withSecurityContext(
            new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withCapabilities(new Capabilities(null, List.of("ALL")))
                .withSeccompProfile(new SeccompProfile(null, "RuntimeDefault"))
                .build())
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .addAllToVolumeMounts(FunctionVolumes.mounts(function.getSpec()))
        .build();
  }

  /**
   * The user's variables, then the platform's. Later entries win in Kubernetes, and the CRD rejects
   * user variables named PORT or KINETIC_*, so the platform's can never be overridden.
   */
  static List<EnvVar> env(Function function, EffectiveSpec effective) {
    List<EnvVar> env = new ArrayList<>(function.getSpec().envOrEmpty());
    new RuntimeEnvironment(
            function.getMetadata().getName(), function.getMetadata().getNamespace(), effective)
        .variables()
        .forEach((name, value) -> env.add(new EnvVar(name, value, null)));
    return env;
  }

  /**
   * How much {@code /tmp} may hold: the Function's {@code ephemeral-storage} limit when it sets
   * one. That limit already bounds everything the pod writes, {@code /tmp} included; a fixed,
   * smaller cap under it would evict a function that asked for 2Gi to download a model as soon as
   * its file passed 64 MiB, with a message naming a volume the user never declared.
   */
  static Quantity tmpSize(FunctionSpec spec) {
    String limit =
        spec.getResources() == null ? null : spec.getResources().limit("ephemeral-storage");
    // The quantities were checked with the effective spec (EffectiveSpec.of).
    return new Quantity(limit == null ? TMP_SIZE : limit);
  }

  /** The user's resources, with the admin's memory cap as the limit when the user set none. */
  static ResourceRequirements resources(FunctionSpec spec, EffectiveSpec effective) {
    // The quantities were checked with the effective spec (EffectiveSpec.of).
    ResourceRequirementsBuilder builder =
        spec.getResources() == null
            ? new ResourceRequirementsBuilder()
            : new ResourceRequirementsBuilder(spec.getResources().toRequirements());
    boolean userSetMemory =
        spec.getResources() != null && spec.getResources().limit("memory") != null;
    if (!userSetMemory && effective.memoryLimitBytes().isPresent()) {
      builder.addToLimits(
          "memory", new Quantity(Long.toString(effective.memoryLimitBytes().getAsLong())));
    }
    return builder.build();
  }

  /** The Function's check: a GET of {@code path} when it has one, else a TCP connection. */
  private static Probe probe(
      Optional<String> path, int periodSeconds, int failureThreshold, int timeoutSeconds) {
    ProbeBuilder probe = new ProbeBuilder();
    if (path.isPresent()) {
      probe.withNewHttpGet().withPath(path.get()).withPort(new IntOrString(PORT_NAME)).endHttpGet();
    } else {
      probe.withNewTcpSocket().withPort(new IntOrString(PORT_NAME)).endTcpSocket();
    }
    return probe
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .withTimeoutSeconds(timeoutSeconds)
        .build();
  }
}
