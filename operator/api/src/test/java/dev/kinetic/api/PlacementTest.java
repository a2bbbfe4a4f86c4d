package dev.kinetic.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacementTest {
  private static final Toleration FUNCTIONS_POOL =
      new Toleration("NoSchedule", "dedicated", "Equal", null, "functions");
  private static final Toleration GPU = new Toleration("NoSchedule", "gpu", "Exists", null, null);

  @Test
  void anAdminsPlacementIsReadFromTheLimitsConfigMap() {
    PlatformLimits limits =
        PlatformLimits.fromConfigMapData(
            Map.of(
                "functionNodeSelector",
                    "{\"pool\": \"functions\", \"kubernetes.io/os\": \"linux\"}",
                "functionTolerations",
                    "- {key: dedicated, operator: Equal, value: functions, effect: NoSchedule}\n",
                "functionPriorityClassName", "functions"));

    assertThat(limits.placement().nodeSelector())
        .containsExactly(Map.entry("kubernetes.io/os", "linux"), Map.entry("pool", "functions"));
    assertThat(limits.placement().tolerations()).containsExactly(FUNCTIONS_POOL);
    assertThat(limits.placement().priorityClassName()).hasValue("functions");
    assertThat(PlatformLimits.fromConfigMapData(Map.of("maxReplicas", "3")).placement())
        .isEqualTo(Placement.NONE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "functionNodeSelector|[pool]|functionNodeSelector must be a map of node labels such as"
            + " {pool: functions}, got '[pool]'",
        "functionNodeSelector|{'pool name': fn}|functionNodeSelector has 'pool name', which is not"
            + " a label key",
        "functionNodeSelector|{pool: -fn}|functionNodeSelector has '-fn' for pool, which is not a"
            + " label value",
        "functionNodeSelector|{pool: 3}|functionNodeSelector has 3 for pool; a label value is a"
            + " string",
        "functionTolerations|{key: a}|functionTolerations must be a list of tolerations",
        "functionTolerations|[{key: a, operater: Exists}]|functionTolerations has unknown toleration"
            + " fields [operater]",
        "functionTolerations|[{key: a, operator: In}]|functionTolerations has the operator 'In'; it"
            + " must be Exists or Equal",
        "functionTolerations|[{key: a, effect: NoRun}]|functionTolerations has the effect 'NoRun'",
        "functionTolerations|[{value: a}]|functionTolerations has a toleration without a key whose"
            + " operator is not Exists",
        "functionPriorityClassName|High_Priority|functionPriorityClassName has 'High_Priority',"
            + " which is not the name of a PriorityClass",
      })
  void aPlacementThatIsNotOneIsRefusedNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> PlatformLimits.fromConfigMapData(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kinetic-platform-limits key " + message);
  }

  @Test
  void aFunctionNarrowsThePlatformsNodesButCannotLeaveThem() {
    Placement platform =
        new Placement(
            Map.of("pool", "functions"), List.of(FUNCTIONS_POOL), Optional.of("functions"));
    FunctionSpec spec = new FunctionSpec();
    spec.setNodeSelector(Map.of("pool", "gpu", "kubernetes.io/arch", "arm64"));
    spec.setTolerations(List.of(GPU, FUNCTIONS_POOL));

    Placement placed = platform.around(spec);

    assertThat(placed.nodeSelector())
        .as("the platform's label wins on its key; the Function's other label narrows")
        .containsExactly(Map.entry("kubernetes.io/arch", "arm64"), Map.entry("pool", "functions"));
    assertThat(placed.tolerations()).as("both, once each").containsExactly(GPU, FUNCTIONS_POOL);
    assertThat(placed.priorityClassName()).as("the platform's alone").hasValue("functions");
    assertThat(Placement.NONE.around(new FunctionSpec())).isEqualTo(Placement.NONE);
  }
}
