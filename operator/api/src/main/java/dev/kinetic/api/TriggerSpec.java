package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which function, from which source, delivered how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Exactly one source per Trigger: the rule grows with each new source.
@ValidationRule(
    value = "has(self.schedule) || has(self.kafka)",
    message = "a Trigger needs a source: spec.schedule or spec.kafka")
@ValidationRule(
    value = "!(has(self.schedule) && has(self.kafka))",
    message = "a Trigger has one source: spec.schedule or spec.kafka, not both")
@ValidationRule(
    value =
        "!has(self.kafka) || !has(self.kafka.deadLetterTopic) || !has(self.delivery)"
            + " || !has(self.delivery.deadLetterFunction)",
    message =
        "a Kafka Trigger's given-up records go to kafka.deadLetterTopic or to"
            + " delivery.deadLetterFunction, not both")
@ValidationRule(
    value =
        "!has(self.delivery) || !has(self.delivery.deadLetterFunction)"
            + " || self.delivery.deadLetterFunction != self.function",
    message =
        "delivery.deadLetterFunction must name another Function than spec.function: an event it"
            + " gave up on would come back to it")
public class TriggerSpec {
  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of the Function to run, in the Trigger's own namespace (there is no namespace field:"
          + " a Trigger never delivers to another namespace).")
  private String function;

  @JsonPropertyDescription("Fire at the times a cron expression names.")
  private ScheduleSpec schedule;

  @JsonPropertyDescription("Deliver the records of Kafka topics.")
  private KafkaSpec kafka;

  @JsonPropertyDescription("Retries, back-off and the time each attempt may take.")
  private DeliverySpec delivery;

  @JsonPropertyDescription(
      "When true, nothing is sent: a schedule's times pass unfired and a Kafka Trigger stops"
          + " consuming (its group's committed offsets are kept). An attempt under way is still"
          + " made, but no retry after it."
          + " When set back to false, a schedule fires its latest missed time if that is within"
          + " startingDeadlineSeconds, as a CronJob does, and Kafka resumes at the committed"
          + " offsets.")
  private Boolean suspend;

  public String getFunction() {
    return function;
  }

  public void setFunction(String function) {
    this.function = function;
  }

  public ScheduleSpec getSchedule() {
    return schedule;
  }

  public void setSchedule(ScheduleSpec schedule) {
    this.schedule = schedule;
  }

  public KafkaSpec getKafka() {
    return kafka;
  }

  public void setKafka(KafkaSpec kafka) {
    this.kafka = kafka;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  /** Whether {@code suspend} is true; absent means false. */
  public boolean suspended() {
    return Boolean.TRUE.equals(suspend);
  }

  public DeliverySpec getDelivery() {
    return delivery;
  }

  public void setDelivery(DeliverySpec delivery) {
    this.delivery = delivery;
  }
}
