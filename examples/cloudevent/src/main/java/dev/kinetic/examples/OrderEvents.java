package dev.kinetic.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.Context;
import dev.kinetic.function.Json;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;

/**
 * Accepts {@code dev.kinetic.example.order.created} events and replies with an {@code
 * order.accepted} event for the same order. Other event types are acknowledged and ignored, as an
 * event consumer on a shared broker should.
 */
public final class OrderEvents implements CloudEventFunction {
  static final String CREATED = "dev.kinetic.example.order.created";
  static final String ACCEPTED = "dev.kinetic.example.order.accepted";

  @Override
  public CloudEvent handle(CloudEvent event, Context context) {
    if (!CREATED.equals(event.getType())) {
      context.logger().info("ignoring event of type " + event.getType());
      return null;
    }
    String orderId = orderId(event);
    context.logger().info("accepted order " + orderId);
    return CloudEventBuilder.v1()
        .withId(event.getId() + "-accepted")
        .withSource(URI.create("/functions/" + context.functionName()))
        .withType(ACCEPTED)
        .withSubject(orderId)
        .withData("application/json", ("{\"orderId\":\"" + orderId + "\"}").getBytes())
        .build();
  }

  private static String orderId(CloudEvent event) {
    if (event.getData() == null) {
      throw new BadRequestException(CREATED + " needs data with an orderId");
    }
    try {
      JsonNode data = Json.mapper().readTree(event.getData().toBytes());
      JsonNode id = data.get("orderId");
      if (id == null || !id.isTextual() || id.asText().isBlank()) {
        throw new BadRequestException(CREATED + " data needs a non-empty string orderId");
      }
      return id.asText();
    } catch (IOException e) {
      throw new BadRequestException(CREATED + " data is not JSON", e);
    }
  }
}
