package dev.kinetic.dispatcher;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The CloudEvent of one scheduled time. Its id is the Trigger's uid and the scheduled time, so
 * every attempt, every dispatcher replica and a restarted dispatcher send the same id for the same
 * fire, and a function can drop a duplicate by id.
 */
public final class ScheduleEvents {
  /** The {@code ce-type} of every schedule event. */
  public static final String TYPE = "dev.kinetic.trigger.schedule";

  private ScheduleEvents() {}

  /**
   * @param payload the Trigger's schedule.payload as JSON, or null for an event without data
   */
  public static CloudEvent of(TriggerRef trigger, Instant scheduled, byte[] payload) {
    CloudEventBuilder builder =
        CloudEventBuilder.v1()
            .withId(id(trigger, scheduled))
            .withSource(source(trigger))
            .withType(TYPE)
            .withTime(scheduled.atOffset(ZoneOffset.UTC));
    if (payload != null) {
      builder.withDataContentType("application/json").withData(payload);
    }
    return builder.build();
  }

  public static String id(TriggerRef trigger, Instant scheduled) {
    return trigger.uid() + "/" + scheduled;
  }

  /** The Trigger's path in the Kubernetes API, as Knative's sources name theirs (every source). */
  public static URI source(TriggerRef trigger) {
    return URI.create(
        "/apis/kinetic.dev/v1alpha1/namespaces/"
            + trigger.namespace()
            + "/triggers/"
            + trigger.name());
  }
}
