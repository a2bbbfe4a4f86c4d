package dev.kinetic.dispatcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherSettingsTest {
  @Test
  void theDefaultsAreTheDocumentedOnes() {
    DispatcherSettings s =
        DispatcherSettings.fromEnv(
            Map.of(
                "KINETIC_DISPATCHER_NAMESPACE", "platform",
                "KINETIC_DISPATCHER_POD_NAME", "kinetic-dispatcher-abc"));
    assertThat(s.activator().toString())
        .isEqualTo("http://kinetic-activator.platform.svc.cluster.local");
    assertThat(s.identity()).isEqualTo("kinetic-dispatcher-abc");
    assertThat(s.lease()).isEqualTo("kinetic-dispatcher");
    assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.statusInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.adminPort()).isEqualTo(8081);
    assertThat(s.maxInFlightPerTrigger()).isEqualTo(100);
  }

  @Test
  void aRenewDeadlineNotShorterThanTheLeaseIsRefusedWithBothNamed() {
    assertThatThrownBy(
            () ->
                DispatcherSettings.fromEnv(
                    Map.of(
                        "KINETIC_DISPATCHER_LEASE_DURATION", "10s",
                        "KINETIC_DISPATCHER_RENEW_DEADLINE", "10s")))
        .hasMessageContaining("KINETIC_DISPATCHER_RENEW_DEADLINE")
        .hasMessageContaining("KINETIC_DISPATCHER_LEASE_DURATION");
  }

  @Test
  void aDurationThatDoesNotParseIsRefusedWithItsName() {
    assertThatThrownBy(
            () -> DispatcherSettings.fromEnv(Map.of("KINETIC_DISPATCHER_LEASE_DURATION", "soon")))
        .hasMessageContaining("KINETIC_DISPATCHER_LEASE_DURATION='soon'");
  }
}
