package dev.kinetic.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.TestingContext;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class CronReportTest {
  private final CronReport function = new CronReport();

  @Test
  void aScheduledEventWritesTheReportItsPayloadNames() {
    TestingContext context = TestingContext.of("cron-report");
    assertThat(
            function.handle(
                event("uid/2026-03-01T02:00:00Z", "{\"report\":\"daily-sales\"}"), context))
        .isNull();
    assertThat(context.loggedLines())
        .containsExactly(
            "INFO report daily-sales for 2026-03-01T02:00Z (uid/2026-03-01T02:00:00Z)");
  }

  @Test
  void theSameEventTwiceIsReportedOnce() {
    TestingContext context = TestingContext.of("cron-report");
    function.handle(event("uid/2026-03-01T02:00:00Z", null), context);
    function.handle(event("uid/2026-03-01T02:00:00Z", null), context);
    function.handle(event("uid/2026-03-01T02:01:00Z", null), context);
    assertThat(context.loggedLines())
        .containsExactly(
            "INFO report summary for 2026-03-01T02:00Z (uid/2026-03-01T02:00:00Z)",
            "INFO already reported uid/2026-03-01T02:00:00Z",
            "INFO report summary for 2026-03-01T02:01Z (uid/2026-03-01T02:01:00Z)");
  }

  @Test
  void anotherTypeOfEventIsABadRequestAndSoNotRetried() {
    CloudEvent other =
        CloudEventBuilder.v1()
            .withId("1")
            .withSource(URI.create("/shop"))
            .withType("dev.kinetic.example.order.created")
            .build();
    assertThatThrownBy(() -> function.handle(other, TestingContext.of("cron-report")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("takes dev.kinetic.trigger.schedule events");
  }

  @Test
  void aDeadLetterIsLoggedWithWhatAReplayNeedsAndNoReportIsWritten() {
    TestingContext context = TestingContext.of("cron-report-dead-letters");
    CloudEvent dead =
        CloudEventBuilder.v1(event("uid/2026-03-01T02:00:00Z", "{\"report\":\"daily-sales\"}"))
            .withExtension("kineticerror", "answered 503 on attempt 4 of 4")
            .withExtension("kineticerrorfunction", "cron-report")
            .build();
    assertThat(function.handle(dead, context)).isNull();
    assertThat(context.loggedLines())
        .containsExactly(
            "WARN dead letter uid/2026-03-01T02:00:00Z for 2026-03-01T02:00Z from cron-report:"
                + " answered 503 on attempt 4 of 4");
  }

  private static CloudEvent event(String id, String json) {
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId(id)
            .withSource(
                URI.create("/apis/kinetic.dev/v1alpha1/namespaces/default/triggers/nightly"))
            .withType(CronReport.SCHEDULE)
            .withTime(OffsetDateTime.parse(id.substring(4)));
    if (json != null) {
      builder.withData("application/json", json.getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }
}
