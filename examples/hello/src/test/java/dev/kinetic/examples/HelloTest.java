package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.function.Request;
import dev.kinetic.function.TestingContext;
import org.junit.jupiter.api.Test;

class HelloTest {
  @Test
  void greetsTheNamedCaller() {
    var response =
        new Hello("Hej")
            .handle(Request.builder().rawQuery("name=Ada").build(), TestingContext.of("hello"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("Hej, Ada!\n");
  }

  @Test
  void greetsTheWorldWhenNoNameIsGiven() {
    var response = new Hello("Hello").handle(Request.builder().build(), TestingContext.of("hello"));
    assertThat(response.bodyAsString()).isEqualTo("Hello, world!\n");
  }
}
