package dev.kinetic.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.operator.Functions;
import org.junit.jupiter.api.Test;

class FunctionUrlsTest {
  @Test
  void aFunctionAnswersAtItsOwnServicesNameInTheCluster() {
    Function function = Functions.function("hello", "img:1");
    function.getMetadata().setNamespace("shop");

    assertThat(FunctionUrls.of(function, "cluster.local"))
        .isEqualTo("http://hello.shop.svc.cluster.local");
    assertThat(FunctionUrls.of(function, "corp.example"))
        .isEqualTo("http://hello.shop.svc.corp.example");
  }

  @Test
  void theActivatorsServiceIsTheChartsInThePlatformsNamespace() {
    assertThat(FunctionUrls.activatorHost("kinetic-system", "cluster.local"))
        .isEqualTo("kinetic-activator.kinetic-system.svc.cluster.local");
  }
}
