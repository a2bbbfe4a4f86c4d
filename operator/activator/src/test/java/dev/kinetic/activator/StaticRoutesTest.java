package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.Route;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticRoutesTest {
  @Test
  void parsesRoutesWithSeveralEndpointsAndOptions() {
    List<Route> routes =
        StaticRoutes.parse(
            "default/hello=127.0.0.1:8080+127.0.0.1:8081;hard=10;timeout=5 ns/b=h:1");
    assertThat(routes).hasSize(2);
    assertThat(routes.get(0).key()).isEqualTo(new FunctionKey("default", "hello"));
    assertThat(routes.get(0).ready())
        .containsExactly(new Endpoint("127.0.0.1", 8080), new Endpoint("127.0.0.1", 8081));
    assertThat(routes.get(0).hardConcurrency()).isEqualTo(10);
    assertThat(routes.get(0).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(routes.get(1).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(StaticRoutes.parse(" ")).isEmpty();
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> StaticRoutes.parse("hello=h:1"))
        .hasMessageContaining("must look like");
    assertThatThrownBy(() -> StaticRoutes.parse("a/b=h")).hasMessageContaining("needs a port");
    assertThatThrownBy(() -> StaticRoutes.parse("a/b=h:1;fast=1"))
        .hasMessageContaining("unknown option 'fast'");
    assertThatThrownBy(() -> StaticRoutes.parse("a/b=h:x"))
        .hasMessageContaining("'x' in 'a/b=h:x' is not a whole number");
  }
}
