package dev.kinetic.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.operator.Functions;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionServicesTest {
  @Test
  void theFunctionsNameIsAnAliasOfTheActivatorsService() {
    Function function = Functions.function("hello", "img:1");
    Service address = FunctionServices.address(function, "kinetic-system", "cluster.local");

    assertThat(address.getMetadata().getName()).isEqualTo("hello");
    assertThat(address.getMetadata().getLabels()).containsEntry("kinetic.dev/function", "hello");
    assertThat(address.getSpec().getType()).isEqualTo("ExternalName");
    assertThat(address.getSpec().getExternalName())
        .isEqualTo("kinetic-activator.kinetic-system.svc.cluster.local");
    // Nothing selected: no EndpointSlices, so the activators never take it for the pods' Service.
    assertThat(address.getSpec().getSelector()).isNullOrEmpty();
    assertThat(address.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
  }

  @Test
  void thePodsServiceSelectsTheFunctionsPodsOnPort80() {
    Service pods = FunctionServices.pods(Functions.function("hello", "img:1"));

    assertThat(pods.getMetadata().getName()).isEqualTo("hello-pods");
    assertThat(pods.getMetadata().getLabels()).containsEntry("kinetic.dev/function", "hello");
    assertThat(pods.getSpec().getSelector()).isEqualTo(Map.of("kinetic.dev/function", "hello"));
    assertThat(pods.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(pods.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
  }
}
