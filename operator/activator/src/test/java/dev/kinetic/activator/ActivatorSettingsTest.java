package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.routes.FunctionKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivatorSettingsTest {

  @Test
  void podLimitsComeFromTheEnvironmentAndDefaultWhenUnset() {
    assertThat(ActivatorSettings.fromEnv(Map.of()).pods()).isEqualTo(PodLimits.DEFAULTS);
    PodLimits set =
        ActivatorSettings.fromEnv(
                Map.of(
                    "KINETIC_ACTIVATOR_POD_CONNECT_TIMEOUT_MS", "500",
                    "KINETIC_ACTIVATOR_REFUSED_POD_PAUSE_MS", "3000"))
            .pods();
    assertThat(set.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(set.refusedPause()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aPauseTooShortToStopARetryLoopIsRefusedByName() {
    assertThatThrownBy(
            () -> ActivatorSettings.fromEnv(Map.of("KINETIC_ACTIVATOR_REFUSED_POD_PAUSE_MS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("KINETIC_ACTIVATOR_REFUSED_POD_PAUSE_MS must be between 10 and 60000, got 0");
    assertThatThrownBy(
            () ->
                ActivatorSettings.fromEnv(
                    Map.of("KINETIC_ACTIVATOR_POD_CONNECT_TIMEOUT_MS", "two seconds")))
        .hasMessageContaining("KINETIC_ACTIVATOR_POD_CONNECT_TIMEOUT_MS must be a whole number");
  }

  @Test
  void copiesKeepThePodLimits() {
    ActivatorSettings settings =
        ActivatorSettings.fromEnv(Map.of("KINETIC_ACTIVATOR_REFUSED_POD_PAUSE_MS", "40"));
    assertThat(settings.withPorts(0, 0).withDrainTimeout(Duration.ZERO).pods().refusedPause())
        .isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void thePublicPortIsOnlyWhereTheEnvironmentNamesOne() {
    assertThat(ActivatorSettings.fromEnv(Map.of()).publicPort()).isEqualTo(-1);
    ActivatorSettings settings =
        ActivatorSettings.fromEnv(Map.of("KINETIC_ACTIVATOR_PUBLIC_PORT", "8082"));
    assertThat(settings.publicPort()).isEqualTo(8082);
    assertThat(settings.withPorts(0, 0).publicPort()).as("kept by copies").isEqualTo(8082);
    assertThatThrownBy(
            () -> ActivatorSettings.fromEnv(Map.of("KINETIC_ACTIVATOR_PUBLIC_PORT", "70000")))
        .hasMessage("KINETIC_ACTIVATOR_PUBLIC_PORT must be between -1 and 65535, got 70000");
  }

  @Test
  void theAccessLogIsOffUnlessAskedForAndItsQueueIsBounded() {
    assertThat(ActivatorSettings.fromEnv(Map.of()).accessLogQueue()).isZero();
    assertThat(
            ActivatorSettings.fromEnv(Map.of("KINETIC_ACTIVATOR_ACCESS_LOG", "json"))
                .accessLogQueue())
        .isEqualTo(10_000);
    assertThat(
            ActivatorSettings.fromEnv(
                    Map.of(
                        "KINETIC_ACTIVATOR_ACCESS_LOG", "json",
                        "KINETIC_ACTIVATOR_ACCESS_LOG_QUEUE", "500"))
                .accessLogQueue())
        .isEqualTo(500);
    assertThatThrownBy(
            () -> ActivatorSettings.fromEnv(Map.of("KINETIC_ACTIVATOR_ACCESS_LOG", "text")))
        .hasMessage("KINETIC_ACTIVATOR_ACCESS_LOG must be json or off, got 'text'");
  }

  @Test
  void theActivatorsOwnServiceIsKnownOnlyInsideACluster() {
    assertThat(ActivatorSettings.fromEnv(Map.of()).hosts()).isEqualTo(Hosts.DEFAULTS);
    Hosts hosts =
        ActivatorSettings.fromEnv(
                Map.of(
                    "KINETIC_ACTIVATOR_NAMESPACE", "platform",
                    "KINETIC_ACTIVATOR_SERVICE", "activator",
                    "KINETIC_ACTIVATOR_CLUSTER_DOMAIN", "corp.example",
                    "KINETIC_ACTIVATOR_DOMAIN", "fn.example"))
            .hosts();
    assertThat(hosts)
        .isEqualTo(new Hosts("fn.example", "corp.example", "activator", Optional.of("platform")));
    assertThat(hosts.inCluster("activator.platform.svc.corp.example")).isEmpty();
    assertThat(hosts.inCluster("activator.shop.svc.corp.example"))
        .contains(new FunctionKey("shop", "activator"));
    assertThat(hosts.inCluster("hello.platform.svc.corp.example"))
        .contains(new FunctionKey("platform", "hello"));
    assertThat(hosts.inCluster("hello.platform.svc.cluster.local")).isEmpty();
    // Outside the chart, the namespace is unknown: the Service's name routes by path in any.
    assertThat(Hosts.DEFAULTS.inCluster("kinetic-activator.anywhere.svc")).isEmpty();
  }
}
