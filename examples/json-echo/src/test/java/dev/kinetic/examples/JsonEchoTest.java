package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Request;
import dev.kinetic.function.TestingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonEchoTest {
  private final JsonEcho echo = new JsonEcho();

  @Test
  void echoesTheMessageWithItsLength() {
    var response = echo.handle(post("{\"message\":\"héllo\"}"), TestingContext.of("json-echo"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("{\"echo\":\"héllo\",\"length\":5}");
    assertThat(response.headers().get("Content-Type")).containsExactly("application/json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "{", "[1,2]", "{\"message\":\"\"}", "{\"message\":null}", "{\"msg\":\"x\"}"})
  void invalidBodiesAreBadRequests(String body) {
    assertThatThrownBy(() -> echo.handle(post(body), TestingContext.of("json-echo")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void aTooLongMessageSaysTheLimitAndTheLength() {
    String message = "x".repeat(JsonEcho.MAX_MESSAGE + 1);
    assertThatThrownBy(
            () ->
                echo.handle(
                    post("{\"message\":\"" + message + "\"}"), TestingContext.of("json-echo")))
        .hasMessage("message must be at most 1000 characters, got 1001");
  }

  @Test
  void otherMethodsGet405() {
    var response =
        echo.handle(Request.builder().method("GET").build(), TestingContext.of("json-echo"));
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().get("Allow")).containsExactly("POST");
  }

  private static Request post(String body) {
    return Request.builder()
        .method("POST")
        .header("Content-Type", "application/json")
        .body(body)
        .build();
  }
}
