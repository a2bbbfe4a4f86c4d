package dev.kinetic.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaseReleaseTest {
  KubernetesClient client;

  @Test
  void aLeaseThisReplicaHoldsIsGivenUp() {
    client.resource(lease("me")).create();

    new LeaseRelease(client, "kinetic-system", "leader", "me").run();

    Lease after = client.leases().inNamespace("kinetic-system").withName("leader").get();
    assertThat(after.getSpec().getHolderIdentity()).isNull();
    assertThat(after.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
  }

  @Test
  void aLeaseAnotherReplicaTookIsLeftAlone() {
    client.resource(lease("standby")).create();

    new LeaseRelease(client, "kinetic-system", "leader", "me").run();

    Lease after = client.leases().inNamespace("kinetic-system").withName("leader").get();
    assertThat(after.getSpec().getHolderIdentity()).isEqualTo("standby");
    assertThat(after.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
  }

  @Test
  void noLeaseIsNoFailure() {
    assertThatCode(() -> new LeaseRelease(client, "kinetic-system", "leader", "me").run())
        .as("a shutdown goes on; a standby takes over when the lease expires")
        .doesNotThrowAnyException();
  }

  private static Lease lease(String holder) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("leader")
        .withNamespace("kinetic-system")
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withLeaseDurationSeconds(15)
        .endSpec()
        .build();
  }
}
