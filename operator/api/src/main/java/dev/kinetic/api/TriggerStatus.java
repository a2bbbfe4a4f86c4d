package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the dispatcher observed and did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "The latest scheduled time handled, fired or skipped (RFC 3339): the dispatcher's record,"
          + " so a restart or a new leader neither repeats it nor loses the next one.")
  private String lastFireTime;

  @JsonPropertyDescription("The next scheduled time (RFC 3339), if the schedule has one.")
  private String nextFireTime;

  @JsonPropertyDescription(
      "The latest scheduled time whose event the function accepted (RFC 3339), as a CronJob's"
          + " lastSuccessfulTime: what an alert on a schedule that stopped succeeding watches.")
  private String lastSuccessfulTime;

  @JsonPropertyDescription(
      "The latest event given up on: when, which, and why. Kept until a later one, where the"
          + " Events saying so expire after an hour.")
  private TriggerFailure lastFailure;

  @JsonPropertyDescription("Events the function accepted (a 2xx answer).")
  private Long delivered;

  @JsonPropertyDescription("Events given up on: a final answer, or every retry spent.")
  private Long failed;

  @JsonPropertyDescription(
      "Events given up on that reached the dead letter: written to the dead-letter topic, or taken"
          + " by the dead-letter Function (also counted in failed).")
  private Long deadLettered;

  @JsonPropertyDescription(
      "Kafka records not yet committed by the consumer group, over all its partitions, when last"
          + " measured.")
  private Long lag;

  @JsonPropertyDescription("Scheduled times skipped: too late, or the previous fire still running.")
  private Long skipped;

  @JsonPropertyDescription("Ready: whether the Trigger fires, with a reason and a message.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastFireTime() {
    return lastFireTime;
  }

  public void setLastFireTime(String lastFireTime) {
    this.lastFireTime = lastFireTime;
  }

  public String getNextFireTime() {
    return nextFireTime;
  }

  public void setNextFireTime(String nextFireTime) {
    this.nextFireTime = nextFireTime;
  }

  public String getLastSuccessfulTime() {
    return lastSuccessfulTime;
  }

  public void setLastSuccessfulTime(String lastSuccessfulTime) {
    this.lastSuccessfulTime = lastSuccessfulTime;
  }

  public TriggerFailure getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(TriggerFailure lastFailure) {
    this.lastFailure = lastFailure;
  }

  public Long getDelivered() {
    return delivered;
  }

  public void setDelivered(Long delivered) {
    this.delivered = delivered;
  }

  public Long getFailed() {
    return failed;
  }

  public void setFailed(Long failed) {
    this.failed = failed;
  }

  public Long getDeadLettered() {
    return deadLettered;
  }

  public void setDeadLettered(Long deadLettered) {
    this.deadLettered = deadLettered;
  }

  public Long getLag() {
    return lag;
  }

  public void setLag(Long lag) {
    this.lag = lag;
  }

  public Long getSkipped() {
    return skipped;
  }

  public void setSkipped(Long skipped) {
    this.skipped = skipped;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
