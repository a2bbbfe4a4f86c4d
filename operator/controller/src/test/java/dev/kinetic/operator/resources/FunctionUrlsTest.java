package dev.kinetic.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.api.Function;
import dev.kinetic.operator.Functions;
import org.junit.jupiter.api.Test;

class FunctionUrlsTest {
  @Test
  void aFunctionAnswersUnderItsPathOnTheActivatorsServiceInThePlatformsNamespace() {
    Function function = Functions.function("hello", "img:1");
    function.getMetadata().setNamespace("shop");

    assertThat(FunctionUrls.of(function, "kinetic-system", "cluster.local"))
        .isEqualTo("http://kinetic-activator.kinetic-system.svc.cluster.local/shop/hello/");
    assertThat(FunctionUrls.of(function, "platform", "corp.example"))
        .isEqualTo("http://kinetic-activator.platform.svc.corp.example/shop/hello/");
  }
}
