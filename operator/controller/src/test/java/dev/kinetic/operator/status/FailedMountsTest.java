package dev.kinetic.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailedMountsTest {
  @Test
  void theLatestMessageForEachPod() {
    Map<String, String> latest =
        FailedMounts.latestByPod(
            List.of(
                event("hello-1", "2026-12-07T10:00:00Z", "secret \"db\" not found"),
                event("hello-1", "2026-12-07T10:02:00Z", "configmap \"app\" not found"),
                event("hello-1", "2026-12-07T10:01:00Z", "secret \"tls\" not found"),
                event("hello-2", "2026-12-07T10:00:00Z", "secret \"db\" not found")));

    assertThat(latest)
        .containsOnly(
            Map.entry("hello-1", "configmap \"app\" not found"),
            Map.entry("hello-2", "secret \"db\" not found"));
  }

  @Test
  void otherReasonsAndEmptyMessagesSayNothing() {
    Event scheduled = event("hello-1", "2026-12-07T10:00:00Z", "Successfully assigned");
    scheduled.setReason("Scheduled");
    assertThat(
            FailedMounts.latestByPod(
                List.of(scheduled, event("hello-2", "2026-12-07T10:00:00Z", " "))))
        .isEmpty();
  }

  private static Event event(String pod, String last, String message) {
    return new EventBuilder()
        .withReason("FailedMount")
        .withNewInvolvedObject()
        .withKind("Pod")
        .withName(pod)
        .endInvolvedObject()
        .withLastTimestamp(last)
        .withMessage(message)
        .build();
  }
}
