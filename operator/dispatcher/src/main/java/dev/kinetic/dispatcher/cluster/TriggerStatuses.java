package dev.kinetic.dispatcher.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinetic.api.TriggerFailure;
import dev.kinetic.api.TriggerStatus;
import dev.kinetic.dispatcher.TriggerState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The status a Trigger should have for what the dispatcher knows of it. Pure: the same state and
 * status give the same answer, and a Ready condition that did not change keeps its transition time,
 * so writing it again changes nothing.
 */
final class TriggerStatuses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TriggerStatuses() {}

  /**
   * The JSON merge patch that turns {@code current} into {@code desired}: a merge patch keeps what
   * it does not name, so a field the current status has and the desired one does not (the next fire
   * time of a suspended Trigger) is named with null, which removes it.
   */
  static ObjectNode mergePatch(TriggerStatus desired, TriggerStatus current) {
    ObjectNode status = JSON.valueToTree(desired);
    if (current != null) {
      JSON.valueToTree(current)
          .fieldNames()
          .forEachRemaining(
              field -> {
                if (!status.has(field)) {
                  status.putNull(field);
                }
              });
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.set("status", status);
    return patch;
  }

  static TriggerStatus desired(TriggerState state, TriggerStatus current, Instant now) {
    TriggerStatus status = new TriggerStatus();
    status.setObservedGeneration(state.generation());
    status.setLastFireTime(state.handledUpTo().map(Instant::toString).orElse(null));
    status.setNextFireTime(state.next().map(Instant::toString).orElse(null));
    status.setLastSuccessfulTime(state.lastSuccess().map(Instant::toString).orElse(null));
    status.setLastFailure(
        state
            .lastFailure()
            .map(f -> new TriggerFailure(f.time().toString(), f.message()))
            .orElse(null));
    status.setDelivered(state.counts().delivered());
    status.setFailed(state.counts().failed());
    status.setSkipped(state.counts().skipped());
    // Only once there is one: a Trigger without a dead letter keeps to its own fields.
    if (state.counts().deadLettered() > 0) {
      status.setDeadLettered(state.counts().deadLettered());
    }
    state.lag().ifPresent(status::setLag);
    String ready = state.readyStatus();
    Optional<Condition> previous =
        Optional.ofNullable(current).map(TriggerStatus::getConditions).orElse(List.of()).stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst();
    String since =
        previous
            .filter(c -> ready.equals(c.getStatus()) && state.reason().equals(c.getReason()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.toString());
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus(ready)
                .withReason(state.reason())
                .withMessage(state.message())
                .withObservedGeneration(state.generation())
                .withLastTransitionTime(since)
                .build()));
    return status;
  }
}
