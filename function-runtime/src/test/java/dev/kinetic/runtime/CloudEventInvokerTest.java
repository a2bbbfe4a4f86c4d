package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.function.CloudEventFunction;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** CloudEvents over HTTP, binary and structured mode in, binary mode out. */
class CloudEventInvokerTest {
  private static final CloudEventFunction UPPERCASE =
      (event, ctx) ->
          CloudEventBuilder.v1(event)
              .withId(event.getId() + "-reply")
              .withType("dev.kinetic.uppercased")
              .withData(
                  "text/plain",
                  new String(event.getData().toBytes(), StandardCharsets.UTF_8)
                      .toUpperCase()
                      .getBytes(StandardCharsets.UTF_8))
              .build();

  @Test
  void aBinaryModeEventIsDeliveredAndTheReplyIsABinaryModeEvent() throws Exception {
    try (RunningHost h = new RunningHost(RuntimeSettings.forTest("ce"), Invokers.of(UPPERCASE))) {
      HttpResponse<String> response =
          h.send(
              HttpRequest.newBuilder(h.uri("/"))
                  .header("ce-specversion", "1.0")
                  .header("ce-id", "42")
                  .header("ce-source", "/orders")
                  .header("ce-type", "dev.kinetic.order")
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString("hello"))
                  .build());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("ce-id")).hasValue("42-reply");
      assertThat(response.headers().firstValue("ce-type")).hasValue("dev.kinetic.uppercased");
      assertThat(response.body()).isEqualTo("HELLO");
    }
  }

  @Test
  void aStructuredModeEventIsDelivered() throws Exception {
    AtomicReference<String> seenType = new AtomicReference<>();
    CloudEventFunction recorder =
        (event, ctx) -> {
          seenType.set(event.getType());
          return null;
        };
    try (RunningHost h = new RunningHost(RuntimeSettings.forTest("ce"), Invokers.of(recorder))) {
      String event =
          "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t.structured\","
              + "\"datacontenttype\":\"application/json\",\"data\":{\"a\":1}}";
      HttpResponse<String> response =
          h.send(
              HttpRequest.newBuilder(h.uri("/"))
                  .header("Content-Type", "application/cloudevents+json")
                  .POST(HttpRequest.BodyPublishers.ofString(event))
                  .build());

      assertThat(response.statusCode()).as("no reply event").isEqualTo(204);
      assertThat(seenType.get()).isEqualTo("t.structured");
    }
  }

  @Test
  void aRequestThatIsNotACloudEventIs400() throws Exception {
    try (RunningHost h = new RunningHost(RuntimeSettings.forTest("ce"), Invokers.of(UPPERCASE))) {
      HttpResponse<String> response =
          h.send(
              HttpRequest.newBuilder(URI.create(h.uri("/").toString()))
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString("just text"))
                  .build());

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(new ObjectMapper().readTree(response.body()).get("message").asText())
          .startsWith("not a valid CloudEvent");
      assertThat(h.metrics.started.get()).isEqualTo(1);
    }
  }
}
