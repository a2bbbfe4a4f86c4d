package dev.kinetic.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.Context;
import dev.kinetic.function.Json;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Fed by a Kafka topic (trigger.yaml): accepts each order record, {@code {"order": "...", "amount":
 * 12.5}}, keyed by customer.
 *
 * <p>A record that is not an order is a 400, a final answer: the dispatcher does not retry it, and
 * the Trigger's dead-letter topic receives it with the reason. Delivery is at least once, so the
 * same record may come twice; its event id (topic/partition/offset) is the same each time, and an
 * order already accepted under that id is not accepted again. The ids are kept in memory, bounded:
 * enough for one process; orders that must never repeat across pods keep them in their own store.
 */
public final class KafkaOrders implements CloudEventFunction {
  static final String KAFKA = "dev.kinetic.trigger.kafka";
  static final int REMEMBERED_IDS = 10_000;

  private final Set<String> accepted =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED_IDS;
                }
              }));

  @Override
  public CloudEvent handle(CloudEvent event, Context context) {
    if (!KAFKA.equals(event.getType())) {
      throw new BadRequestException(
          "kafka-orders takes " + KAFKA + " events, not " + event.getType());
    }
    JsonNode order = order(event);
    if (!accepted.add(event.getId())) {
      context.logger().info("already accepted " + event.getId());
      return null;
    }
    Object customer = event.getExtension("partitionkey");
    context
        .logger()
        .info(
            "order "
                + order.get("order").asText()
                + " of "
                + order.get("amount").decimalValue()
                + " for customer "
                + (customer == null ? "-" : customer)
                + " ("
                + event.getId()
                + ")");
    return null;
  }

  private static JsonNode order(CloudEvent event) {
    if (event.getData() == null) {
      throw new BadRequestException("an order record needs a value");
    }
    JsonNode order;
    try {
      order = Json.mapper().readTree(event.getData().toBytes());
    } catch (IOException e) {
      throw new BadRequestException("the record's value is not JSON", e);
    }
    if (order == null
        || !order.path("order").isTextual()
        || !order.path("amount").isNumber()
        || order.path("amount").decimalValue().signum() < 0) {
      throw new BadRequestException(
          "an order is {\"order\": \"<id>\", \"amount\": <number >= 0>}, got " + order);
    }
    return order;
  }
}
