package dev.kinetic.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodesComingTest {
  private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

  private static Event event(String pod, String reason, String message, String at) {
    return new EventBuilder()
        .withReason(reason)
        .withMessage(message)
        .withLastTimestamp(at)
        .withNewInvolvedObject()
        .withKind("Pod")
        .withName(pod)
        .endInvolvedObject()
        .build();
  }

  @Test
  void theLatestWordOfEitherNodeAutoscalerOnEachPodWithinTheLastTenMinutes() {
    List<Event> events =
        List.of(
            event(
                "a",
                "TriggeredScaleUp",
                "pod triggered scale-up: [{ng 1->2}]",
                "2026-12-07T07:55:00Z"),
            event(
                "a",
                "TriggeredScaleUp",
                "pod triggered scale-up: [{ng 2->3}]",
                "2026-12-07T07:58:00Z"),
            event(
                "b",
                "Nominated",
                "Pod should schedule on: nodeclaim/default-8wq87",
                "2026-12-07T07:59:00Z"),
            event(
                "c",
                "TriggeredScaleUp",
                "pod triggered scale-up: [{ng 0->1}]",
                "2026-12-07T07:49:59Z"),
            event("d", "NotTriggerScaleUp", "pod didn't trigger scale-up", "2026-12-07T07:59:00Z"));

    assertThat(NodesComing.byPod(events, NOW))
        .as("c's is older than ten minutes: no node came of it; d's autoscaler cannot help")
        .isEqualTo(
            Map.of(
                "a", "pod triggered scale-up: [{ng 2->3}]",
                "b", "Pod should schedule on: nodeclaim/default-8wq87"));
  }
}
