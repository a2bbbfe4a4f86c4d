package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.TestingContext;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OrderEventsTest {
  private final OrderEvents function = new OrderEvents();

  @Test
  void aCreatedOrderIsAccepted() {
    CloudEvent reply =
        function.handle(
            event(OrderEvents.CREATED, "{\"orderId\":\"o-17\"}"), TestingContext.of("orders"));
    assertThat(reply.getType()).isEqualTo(OrderEvents.ACCEPTED);
    assertThat(reply.getSubject()).isEqualTo("o-17");
    assertThat(reply.getId()).isEqualTo("e1-accepted");
    assertThat(new String(reply.getData().toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"orderId\":\"o-17\"}");
  }

  @Test
  void otherTypesAreAcknowledgedWithoutAReply() {
    TestingContext context = TestingContext.of("orders");
    assertThat(function.handle(event("something.else", "{}"), context)).isNull();
    assertThat(context.loggedLines()).containsExactly("INFO ignoring event of type something.else");
  }

  @Test
  void aCreatedEventWithoutAnOrderIdIsABadRequest() {
    assertThatThrownBy(
            () ->
                function.handle(
                    event(OrderEvents.CREATED, "{\"id\":1}"), TestingContext.of("orders")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("orderId");
    assertThatThrownBy(
            () ->
                function.handle(
                    event(OrderEvents.CREATED, "not json"), TestingContext.of("orders")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("not JSON");
  }

  private static CloudEvent event(String type, String json) {
    return CloudEventBuilder.v1()
        .withId("e1")
        .withSource(URI.create("/shop"))
        .withType(type)
        .withData("application/json", json.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
