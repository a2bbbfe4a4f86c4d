package dev.kinetic.dispatcher.cluster;

import dev.kinetic.dispatcher.TriggerRef;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes Event on the Trigger for each scheduled event given up on, and for a stream's
 * records a count at most once a minute with the last one's reason, so {@code kubectl describe
 * trigger} and {@code kubectl get events} show them. Best effort: an Event that cannot be written
 * is logged, as the failure already was.
 */
public final class DeliveryFailures {
  public static final String REASON = "DeliveryFailed";
  private static final Logger LOG = Logger.getLogger(DeliveryFailures.class.getName());

  private final KubernetesClient client;
  private final Clock clock;
  private final String component;

  DeliveryFailures(KubernetesClient client, Clock clock, String component) {
    this.client = client;
    this.clock = clock;
    this.component = component;
  }

  void report(TriggerRef ref, String eventId, String function, String why) {
    write(ref, "event " + eventId + " to function " + function + " failed: " + why);
  }

  /** A stream's records given up on since the last such Event ({@code summary} says how many). */
  void reportRecords(TriggerRef ref, String summary) {
    write(ref, summary);
  }

  private void write(TriggerRef ref, String message) {
    String now = clock.instant().toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(ref.name() + ".")
            .withNamespace(ref.namespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion("kinetic.dev/v1alpha1")
            .withKind("Trigger")
            .withNamespace(ref.namespace())
            .withName(ref.name())
            .withUid(ref.uid())
            .endInvolvedObject()
            .withType("Warning")
            .withReason(REASON)
            .withMessage(message)
            .withNewSource()
            .withComponent(component)
            .endSource()
            .withReportingComponent(component)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(ref.namespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.log(Level.WARNING, "cannot record '" + message + "': " + e.getMessage());
    }
  }
}
