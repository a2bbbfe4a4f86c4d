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

class KafkaOrdersTest {
  private final KafkaOrders function = new KafkaOrders();

  @Test
  void anOrderRecordIsAcceptedWithItsCustomer() {
    TestingContext context = TestingContext.of("kafka-orders");
    function.handle(event("orders/0/7", "{\"order\":\"A-1\",\"amount\":12.50}"), context);
    assertThat(context.loggedLines())
        .containsExactly("INFO order A-1 of 12.5 for customer customer-42 (orders/0/7)");
  }

  @Test
  void theSameRecordTwiceIsAcceptedOnce() {
    TestingContext context = TestingContext.of("kafka-orders");
    function.handle(event("orders/0/7", "{\"order\":\"A-1\",\"amount\":1}"), context);
    function.handle(event("orders/0/7", "{\"order\":\"A-1\",\"amount\":1}"), context);
    assertThat(context.loggedLines())
        .containsExactly(
            "INFO order A-1 of 1 for customer customer-42 (orders/0/7)",
            "INFO already accepted orders/0/7");
  }

  @Test
  void aRecordThatIsNotAnOrderIsABadRequestAndSoGoesToTheDeadLetterTopic() {
    assertThatThrownBy(() -> function.handle(event("orders/0/8", "{\"order\":\"A-2\"}"), context()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("an order is {\"order\": \"<id>\", \"amount\": <number >= 0>}");
    assertThatThrownBy(() -> function.handle(event("orders/0/9", "not json"), context()))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("the record's value is not JSON");
  }

  private static TestingContext context() {
    return TestingContext.of("kafka-orders");
  }

  private static CloudEvent event(String id, String json) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("/apis/kinetic.dev/v1alpha1/namespaces/shop/triggers/orders#orders"))
        .withType(KafkaOrders.KAFKA)
        .withExtension("partitionkey", "customer-42")
        .withData("application/json", json.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
