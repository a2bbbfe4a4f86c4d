package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An activator's place among the ready endpoints of its Service. */
class KubernetesPeersTest {
  private static EndpointSlice slice(String... readyThenNotReady) {
    EndpointSliceBuilder b =
        new EndpointSliceBuilder().withAddressType("IPv4").addNewPort().withPort(8080).endPort();
    for (String ip : readyThenNotReady) {
      boolean ready = !ip.startsWith("!");
      b.addNewEndpoint()
          .withAddresses(ip.replace("!", ""))
          .withNewConditions()
          .withReady(ready)
          .endConditions()
          .endEndpoint();
    }
    return b.build();
  }

  @Test
  void theIndexIsThePositionOfTheOwnAddressAmongTheSortedReadyOnes() {
    List<EndpointSlice> slices = List.of(slice("10.85.0.9", "10.85.0.3"), slice("10.85.0.7"));

    assertThat(KubernetesPeers.shard("10.85.0.3", slices)).isEqualTo(new Shard(0, 3));
    assertThat(KubernetesPeers.shard("10.85.0.7", slices)).isEqualTo(new Shard(1, 3));
    assertThat(KubernetesPeers.shard("10.85.0.9", slices)).isEqualTo(new Shard(2, 3));
  }

  @Test
  void aPeerThatIsNotReadyKeepsItsShareAndOneNotInTheServiceYetCountsItselfIn() {
    // A peer failing its readiness probe under load still has requests in flight on its share.
    List<EndpointSlice> slices = List.of(slice("10.85.0.4", "!10.85.0.5"));

    assertThat(KubernetesPeers.shard("10.85.0.2", slices)).isEqualTo(new Shard(0, 3));
    assertThat(KubernetesPeers.shard("10.85.0.5", slices)).isEqualTo(new Shard(1, 2));
    assertThat(KubernetesPeers.shard("10.85.0.2", List.of())).isEqualTo(Shard.ALONE);
  }
}
