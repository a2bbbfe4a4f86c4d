package dev.kinetic.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionResources;
import dev.kinetic.api.FunctionVolume;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.VolumeItem;
import dev.kinetic.operator.Functions;
import dev.kinetic.operator.autoscale.DeploymentScaling;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionDeploymentsTest {
  private static final Instant CREATED = Instant.parse("2026-12-06T10:00:00Z");

  /** The function's container, without platform limits. */
  private static Container container(Function function) {
    return build(function, PlatformLimits.NONE)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static Deployment build(Function function, PlatformLimits limits) {
    return FunctionDeployments.desired(function, EffectiveSpec.of(function.getSpec(), limits));
  }

  @Test
  void thePodsRunWhereTheFunctionAndThePlatformPlaceThem() {
    Function function = Functions.function("f", "img");
    function.getSpec().setNodeSelector(Map.of("kubernetes.io/arch", "arm64", "pool", "gpu"));
    function
        .getSpec()
        .setTolerations(List.of(new Toleration("NoSchedule", "gpu", "Exists", null, null)));
    PlatformLimits platform =
        PlatformLimits.fromConfigMapData(
            Map.of(
                "functionNodeSelector", "{pool: functions}",
                "functionTolerations", "[{key: dedicated, value: functions, effect: NoSchedule}]",
                "functionPriorityClassName", "functions"));

    PodSpec pod = build(function, platform).getSpec().getTemplate().getSpec();

    assertThat(pod.getNodeSelector())
        .containsExactly(Map.entry("kubernetes.io/arch", "arm64"), Map.entry("pool", "functions"));
    assertThat(pod.getTolerations())
        .extracting(Toleration::getKey)
        .containsExactly("gpu", "dedicated");
    assertThat(pod.getPriorityClassName()).isEqualTo("functions");
    PodSpec unplaced =
        build(Functions.function("f", "img"), PlatformLimits.NONE)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(unplaced.getNodeSelector()).as("absent, as the API server stores none").isNull();
    assertThat(unplaced.getTolerations()).isNull();
    assertThat(unplaced.getPriorityClassName()).isNull();
  }

  @Test
  void theSpreadConstraintsAndTheAffinityGoToThePodsAsTheFunctionWritesThem() {
    Function function = Functions.function("hello", "img");
    TopologySpreadConstraint byZone =
        new TopologySpreadConstraintBuilder()
            .withMaxSkew(1)
            .withTopologyKey("topology.kubernetes.io/zone")
            .withWhenUnsatisfiable("ScheduleAnyway")
            .build();
    TopologySpreadConstraint byNodeOfOthers =
        new TopologySpreadConstraintBuilder()
            .withMaxSkew(2)
            .withTopologyKey("kubernetes.io/hostname")
            .withWhenUnsatisfiable("DoNotSchedule")
            .withNewLabelSelector()
            .withMatchLabels(Map.of("app", "cache"))
            .endLabelSelector()
            .build();
    function.getSpec().setTopologySpreadConstraints(List.of(byZone, byNodeOfOthers));
    Affinity affinity =
        new AffinityBuilder()
            .withNewNodeAffinity()
            .addNewPreferredDuringSchedulingIgnoredDuringExecution()
            .withWeight(50)
            .withNewPreference()
            .addNewMatchExpression()
            .withKey("node.kubernetes.io/lifecycle")
            .withOperator("In")
            .withValues("spot")
            .endMatchExpression()
            .endPreference()
            .endPreferredDuringSchedulingIgnoredDuringExecution()
            .endNodeAffinity()
            .build();
    function.getSpec().setAffinity(affinity);

    PodSpec pod = build(function, PlatformLimits.NONE).getSpec().getTemplate().getSpec();

    assertThat(pod.getAffinity()).isEqualTo(affinity);
    assertThat(pod.getTopologySpreadConstraints()).hasSize(2);
    // Without a selector, a constraint counts this Function's pods; with one, what it says.
    assertThat(pod.getTopologySpreadConstraints().get(0).getLabelSelector().getMatchLabels())
        .isEqualTo(Map.of(Function.FUNCTION_LABEL, "hello"));
    assertThat(pod.getTopologySpreadConstraints().get(0).getTopologyKey())
        .isEqualTo("topology.kubernetes.io/zone");
    assertThat(pod.getTopologySpreadConstraints().get(1)).isEqualTo(byNodeOfOthers);
    assertThat(function.getSpec().getTopologySpreadConstraints().get(0).getLabelSelector())
        .as("the Function itself is left as it was")
        .isNull();
    PodSpec plain =
        build(Functions.function("f", "img"), PlatformLimits.NONE)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(plain.getTopologySpreadConstraints()).as("absent, as stored").isNull();
    assertThat(plain.getAffinity()).isNull();
  }

  @Test
  void ownsItsObjectsThroughAControllerReference() {
    Deployment deployment = build(Functions.function("hello", "img:1"), PlatformLimits.NONE);
    assertThat(deployment.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("Function");
              assertThat(ref.getApiVersion()).isEqualTo("kinetic.dev/v1alpha1");
              assertThat(ref.getUid()).isEqualTo("uid-hello");
              assertThat(ref.getController()).isTrue();
            });
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .isEqualTo(Map.of("kinetic.dev/function", "hello"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("kinetic.dev/function", "hello");
  }

  @Test
  void leavesReplicasToTheAutoscalerExceptAtCreation() {
    Function function = Functions.function("hello", "img:1");
    function.getSpec().setScale(new dev.kinetic.api.ScaleSpec(2, 5));
    EffectiveSpec effective = EffectiveSpec.of(function.getSpec(), PlatformLimits.NONE);
    assertThat(FunctionDeployments.desired(function, effective).getSpec().getReplicas()).isNull();
    assertThat(
            FunctionDeployments.forCreation(function, effective, CREATED).getSpec().getReplicas())
        .isEqualTo(2);
  }

  @Test
  void theCreationRecordsWhyTheFunctionHasItsInitialPodsWhereTheAutoscalerRecordsItsReasons() {
    Function atZero = Functions.function("hello", "img:1");
    Function warm = Functions.function("warm", "img:1");
    warm.getSpec().setScale(new dev.kinetic.api.ScaleSpec(2, 5));
    Function started = Functions.function("started", "img:1");
    started.getSpec().setScale(new dev.kinetic.api.ScaleSpec(0, 5));
    started.getSpec().getScale().setInitial(1);

    assertThat(reasonAtCreation(atZero))
        .isEqualTo("created at zero pods: the first request starts one");
    assertThat(reasonAtCreation(warm)).isEqualTo("created with 2 pods: scale.min is 2");
    assertThat(reasonAtCreation(started)).isEqualTo("created with 1 pod: scale.initial is 1");
    assertThat(
            FunctionDeployments.forCreation(
                    atZero, EffectiveSpec.of(atZero.getSpec(), PlatformLimits.NONE), CREATED)
                .getMetadata()
                .getAnnotations())
        .containsEntry(DeploymentScaling.TIME_ANNOTATION, "2026-12-06T10:00:00Z");
  }

  @Test
  void anUpdateKeepsTheScalesReasonAsItIsNowAndAddsNoneWhereThereIsNone() {
    Function function = Functions.function("hello", "img:2");
    EffectiveSpec effective = EffectiveSpec.of(function.getSpec(), PlatformLimits.NONE);
    Deployment desired = FunctionDeployments.desired(function, effective);
    Deployment scaled = FunctionDeployments.forCreation(function, effective, CREATED);
    scaled
        .getMetadata()
        .getAnnotations()
        .put(DeploymentScaling.REASON_ANNOTATION, "idle for 60 s: scaling to zero");
    Deployment older = FunctionDeployments.desired(function, effective); // made before reasons

    assertThat(FunctionDeployments.keepingScale(desired, scaled).getMetadata().getAnnotations())
        .containsEntry(DeploymentScaling.REASON_ANNOTATION, "idle for 60 s: scaling to zero")
        .containsEntry(DeploymentScaling.TIME_ANNOTATION, "2026-12-06T10:00:00Z");
    assertThat(FunctionDeployments.keepingScale(desired, older).getMetadata().getAnnotations())
        .isNullOrEmpty();
    assertThat(desired.getMetadata().getAnnotations())
        .as("the desired object is not changed")
        .isNullOrEmpty();
  }

  private static String reasonAtCreation(Function function) {
    return FunctionDeployments.forCreation(
            function, EffectiveSpec.of(function.getSpec(), PlatformLimits.NONE), CREATED)
        .getMetadata()
        .getAnnotations()
        .get(DeploymentScaling.REASON_ANNOTATION);
  }

  @Test
  void anUpdateCarriesTheScaleTheDeploymentHasNow() {
    Function function = Functions.function("hello", "img:2");
    EffectiveSpec effective = EffectiveSpec.of(function.getSpec(), PlatformLimits.NONE);
    Deployment actual = FunctionDeployments.forCreation(function, effective, CREATED);
    actual.getSpec().setReplicas(7); // set by the autoscaler

    Deployment desired = FunctionDeployments.desired(function, effective);
    Deployment write = FunctionDeployments.keepingScale(desired, actual);

    assertThat(write.getSpec().getReplicas()).isEqualTo(7);
    assertThat(write.getSpec().getTemplate()).isEqualTo(desired.getSpec().getTemplate());
    assertThat(desired.getSpec().getReplicas()).as("the desired object is not changed").isNull();
  }

  @Test
  void meetsPodSecurityRestricted() {
    PodSpec pod =
        build(Functions.function("hello", "img:1"), PlatformLimits.NONE)
            .getSpec()
            .getTemplate()
            .getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts()).extracting("mountPath").containsExactly("/tmp");
  }

  @Test
  void tmpHoldsAsMuchAsTheFunctionsEphemeralStorageLimitOr64MiWithoutOne() {
    assertThat(tmpVolume(Functions.function("hello", "img:1")).getEmptyDir().getSizeLimit())
        .isEqualTo(new Quantity("64Mi"));
    Function large = Functions.function("hello", "img:1");
    large.getSpec().setResources(FunctionResources.limits("ephemeral-storage", "2Gi"));
    assertThat(tmpVolume(large).getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("2Gi"));
    // Below the default too: /tmp is part of what that limit bounds.
    Function small = Functions.function("hello", "img:1");
    small.getSpec().setResources(FunctionResources.limits("ephemeral-storage", "16Mi"));
    assertThat(tmpVolume(small).getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("16Mi"));
    // A memory limit alone is not a storage limit.
    Function memory = Functions.function("hello", "img:1");
    memory.getSpec().setResources(FunctionResources.limits("memory", "2Gi"));
    assertThat(tmpVolume(memory).getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("64Mi"));
  }

  @Test
  void mountsTheFunctionsSecretsAndConfigMapsReadOnlyBesideTmp() {
    Function function = Functions.function("hello", "img:1");
    FunctionVolume config = FunctionVolume.ofConfigMap("config", "/etc/app", "app-config");
    config.getConfigMap().setItems(List.of(new VolumeItem("settings", "conf/settings.json")));
    config.getConfigMap().setOptional(true);
    function
        .getSpec()
        .setVolumes(List.of(FunctionVolume.ofSecret("db", "/var/run/secrets/db", "db"), config));

    PodSpec pod = build(function, PlatformLimits.NONE).getSpec().getTemplate().getSpec();

    assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp", "db", "config");
    Volume db = pod.getVolumes().get(1);
    assertThat(db.getSecret().getSecretName()).isEqualTo("db");
    assertThat(db.getSecret().getItems()).isNullOrEmpty();
    assertThat(db.getSecret().getOptional()).isNull();
    Volume configMap = pod.getVolumes().get(2);
    assertThat(configMap.getConfigMap().getName()).isEqualTo("app-config");
    assertThat(configMap.getConfigMap().getItems())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getKey()).isEqualTo("settings");
              assertThat(i.getPath()).isEqualTo("conf/settings.json");
            });
    assertThat(configMap.getConfigMap().getOptional()).isTrue();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
        .containsExactly("tmp /tmp null", "db /var/run/secrets/db true", "config /etc/app true");
  }

  @Test
  void anEmptyDirIsMountedWritableAndAlwaysBounded() {
    Function function = Functions.function("hello", "img:1");
    FunctionVolume sized = FunctionVolume.ofEmptyDir("cache", "/var/cache/app", "256Mi");
    FunctionVolume inMemory = FunctionVolume.ofEmptyDir("sockets", "/run/app", null);
    inMemory.getEmptyDir().setMedium("Memory");
    function.getSpec().setVolumes(List.of(sized, inMemory));
    function.getSpec().setResources(FunctionResources.limits("ephemeral-storage", "1Gi"));

    PodSpec pod = build(function, PlatformLimits.NONE).getSpec().getTemplate().getSpec();

    Volume cache = pod.getVolumes().get(1);
    assertThat(cache.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("256Mi"));
    assertThat(cache.getEmptyDir().getMedium()).as("absent: the node's disk").isNull();
    Volume sockets = pod.getVolumes().get(2);
    assertThat(sockets.getEmptyDir().getMedium()).isEqualTo("Memory");
    assertThat(sockets.getEmptyDir().getSizeLimit())
        .as("without a size, as /tmp: the ephemeral-storage limit")
        .isEqualTo(new Quantity("1Gi"));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
        .containsExactly("tmp /tmp null", "cache /var/cache/app null", "sockets /run/app null");
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
  }

  private static Volume tmpVolume(Function function) {
    return build(function, PlatformLimits.NONE)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getVolumes()
        .stream()
        .filter(v -> v.getName().equals("tmp"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void mountsNoTokenUnlessAServiceAccountIsNamed() {
    Function plain = Functions.function("hello", "img:1");
    assertThat(
            build(plain, PlatformLimits.NONE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAutomountServiceAccountToken())
        .isFalse();
    Function withAccount = Functions.function("hello", "img:1");
    withAccount.getSpec().setServiceAccountName("reader");
    PodSpec pod = build(withAccount, PlatformLimits.NONE).getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    assertThat(pod.getServiceAccountName()).isEqualTo("reader");
  }

  @Test
  void pullsTheImageWithTheSecretsTheFunctionNames() {
    Function plain = Functions.function("hello", "img:1");
    assertThat(
            build(plain, PlatformLimits.NONE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getImagePullSecrets())
        .isNullOrEmpty();
    Function fromPrivate = Functions.function("hello", "registry.example.com/team/hello:1");
    fromPrivate
        .getSpec()
        .setImagePullSecrets(
            List.of(new LocalObjectReference("regcred"), new LocalObjectReference("mirror")));
    assertThat(
            build(fromPrivate, PlatformLimits.NONE)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("regcred", "mirror");
  }

  @Test
  void probesAnyServerByATcpConnectionToItsPortAndDrainsWithinTheTimeout() {
    Function function = Functions.function("hello", "img:1");
    function.getSpec().setTimeoutSeconds(20);
    function.getSpec().setPort(9000);
    Deployment deployment = build(function, PlatformLimits.NONE);
    Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    for (var probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
      assertThat(probe.getHttpGet()).as("no path any image must answer").isNull();
      assertThat(probe.getTcpSocket().getPort().getStrVal()).isEqualTo("http");
    }
    assertThat(c.getLivenessProbe().getTimeoutSeconds())
        .as("a busy node answers slowly; that is no reason to restart")
        .isEqualTo(5);
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .as("seconds a slow start is given before the kubelet restarts it")
        .isEqualTo(120);
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(9000);
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds())
        .as("serves on while the activators learn it is going")
        .isEqualTo(3L);
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .as("pre-stop 3 + timeout 20 + drain margin 5")
        .isEqualTo(28L);
  }

  @Test
  void aProbePathIsGetForStartupAndReadinessWhileLivenessStaysATcpCheck() {
    Function function = Functions.function("hello", "img:1");
    function.getSpec().setProbe(new dev.kinetic.api.ProbeSpec("/ready"));
    Container c = container(function);
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(c.getLivenessProbe().getTcpSocket()).isNotNull();
  }

  @Test
  void putsPlatformVariablesAfterTheUsersSoTheyWin() {
    Function function = Functions.withHard(Functions.function("hello", "img:1"), 10);
    function.getSpec().setEnv(List.of(new EnvVar("GREETING", "hi", null)));
    List<EnvVar> env = container(function).getEnv();
    assertThat(env)
        .extracting(EnvVar::getName)
        .containsExactly(
            "GREETING",
            "PORT",
            "KINETIC_FUNCTION",
            "KINETIC_NAMESPACE",
            "KINETIC_TIMEOUT_SECONDS",
            "KINETIC_CONCURRENCY_HARD",
            "KINETIC_METRICS_PORT");
    assertThat(env).contains(new EnvVar("KINETIC_CONCURRENCY_HARD", "10", null));
  }

  @Test
  void theRuntimesMetricsPortIsNamedForAPodMonitorAndNeverTheFunctionsOwn() {
    for (int port : new int[] {8080, 9090}) {
      Function function = Functions.function("hello", "img:1");
      function.getSpec().setPort(port);
      Container c = container(function);
      int metrics = port == 9090 ? 9091 : 9090;
      assertThat(c.getPorts())
          .extracting(p -> p.getName() + "=" + p.getContainerPort())
          .containsExactly("http=" + port, "metrics=" + metrics);
      assertThat(c.getEnv())
          .contains(new EnvVar("KINETIC_METRICS_PORT", Integer.toString(metrics), null));
    }
  }

  @Test
  void capsMemoryAtThePlatformLimitWhenTheUserSetNone() {
    PlatformLimits limits = PlatformLimits.fromConfigMapData(Map.of("maxMemory", "512Mi"));
    Container c =
        build(Functions.function("hello", "img:1"), limits)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("536870912"));
    assertThat(c.getEnv()).contains(new EnvVar("KINETIC_MEMORY_LIMIT_BYTES", "536870912", null));
  }

  @Test
  void isPure() {
    Function function = Functions.function("hello", "img:1");
    assertThat(build(function, PlatformLimits.NONE))
        .isEqualTo(build(function, PlatformLimits.NONE));
  }
}
