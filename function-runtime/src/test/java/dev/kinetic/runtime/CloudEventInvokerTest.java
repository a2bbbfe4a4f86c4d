package dev.kinetic.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.function.CloudEventFunction;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  /**
   * What a broken producer sends is the sender's fault, answered 400 with what is wrong, and never
   * reaches the function. (A structured event the SDK's JSON format refuses — an unknown
   * specversion, a body that is not JSON — was a 500 "the function failed".)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("notEvents")
  void anEventTheSdkCannotReadIs400AndNeverReachesTheFunction(
      String what, Map<String, String> headers, String body) throws Exception {
    AtomicInteger called = new AtomicInteger();
    CloudEventFunction counting =
        (event, ctx) -> {
          called.incrementAndGet();
          return null;
        };
    try (RunningHost h = new RunningHost(RuntimeSettings.forTest("ce"), Invokers.of(counting))) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(h.uri("/")).POST(HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(request::header);
      HttpResponse<String> response = h.send(request.build());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(new ObjectMapper().readTree(response.body()).get("message").asText())
          .startsWith("not a valid CloudEvent");
      assertThat(called.get()).isZero();
    }
  }

  static Stream<Arguments> notEvents() {
    Map<String, String> structured = Map.of("Content-Type", "application/cloudevents+json");
    return Stream.of(
        Arguments.of(
            "structured, unknown specversion",
            structured,
            "{\"specversion\":\"0.9\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}"),
        Arguments.of("structured, not JSON", structured, "{\"specversion\":\"1.0\","),
        Arguments.of("structured, a JSON array", structured, "[]"),
        Arguments.of(
            "structured, no id",
            structured,
            "{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\"}"),
        Arguments.of(
            "binary, unknown specversion",
            Map.of(
                "ce-specversion", "0.9",
                "ce-id", "1",
                "ce-source", "/s",
                "ce-type", "t",
                "Content-Type", "text/plain"),
            "x"),
        Arguments.of(
            "binary, no source",
            Map.of(
                "ce-specversion",
                "1.0",
                "ce-id",
                "1",
                "ce-type",
                "t",
                "Content-Type",
                "text/plain"),
            "x"));
  }
}
