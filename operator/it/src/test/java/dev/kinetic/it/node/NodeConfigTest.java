package dev.kinetic.it.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The kubelet's optional feature gates, as the bench passes them. */
class NodeConfigTest {
  @Test
  void featureGatesBecomeAYamlFlowMapAndNoneIsEmpty() {
    assertThat(NodeConfig.featureGatesYaml(null)).isEmpty();
    assertThat(NodeConfig.featureGatesYaml(" ")).isEmpty();
    assertThat(NodeConfig.featureGatesYaml("EventedPLEG=true")).isEqualTo("EventedPLEG: true");
    assertThat(NodeConfig.featureGatesYaml("A=true, B=false")).isEqualTo("A: true, B: false");
  }

  @Test
  void aMalformedGateIsRefusedWithTheSettingsName() {
    for (String bad : new String[] {"EventedPLEG", "EventedPLEG=yes", "x: y=true", "A=true,"}) {
      assertThatThrownBy(() -> NodeConfig.featureGatesYaml(bad))
          .as(bad)
          .hasMessageContaining("KINETIC_NODE_KUBELET_FEATURE_GATES");
    }
  }
}
