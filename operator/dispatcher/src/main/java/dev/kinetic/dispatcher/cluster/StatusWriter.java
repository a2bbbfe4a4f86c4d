package dev.kinetic.dispatcher.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.Trigger;
import dev.kinetic.api.TriggerStatus;
import dev.kinetic.dispatcher.TriggerRef;
import dev.kinetic.dispatcher.TriggerState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes each Trigger's status from the dispatcher's state, coalesced: the dispatcher records the
 * latest state of a Trigger at every change, and {@link #flush()} (every status interval) writes
 * what changed since the last one — at most one write per Trigger per interval, however often it
 * fires. A status equal to the one already stored is not written at all.
 *
 * <p>The status is also the dispatcher's memory: lastFireTime tells a new leader, or this one after
 * a restart, which scheduled times were already handled.
 */
final class StatusWriter {
  private static final Logger LOG = Logger.getLogger(StatusWriter.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final Function<TriggerRef, Optional<Trigger>> stored;
  private final Clock clock;
  private final Map<TriggerRef, TriggerState> pending = new ConcurrentHashMap<>();

  /**
   * @param stored the Trigger as last seen (the informer's cache): its uid must still match, and
   *     its status is what a new write is compared with
   */
  StatusWriter(
      KubernetesClient client, Function<TriggerRef, Optional<Trigger>> stored, Clock clock) {
    this.client = client;
    this.stored = stored;
    this.clock = clock;
  }

  void record(TriggerRef ref, TriggerState state) {
    pending.put(ref, state);
  }

  /** Writes every recorded change; a failed write is logged and retried at the next change. */
  synchronized void flush() {
    for (TriggerRef ref : pending.keySet()) {
      TriggerState state = pending.remove(ref);
      if (state != null) {
        write(ref, state);
      }
    }
  }

  private void write(TriggerRef ref, TriggerState state) {
    Optional<Trigger> current = stored.apply(ref).filter(t -> ref.uid().equals(uid(t)));
    if (current.isEmpty()) {
      return; // deleted, or deleted and created again: not ours to write any more
    }
    TriggerStatus desired =
        TriggerStatuses.desired(state, current.get().getStatus(), clock.instant());
    if (JSON.valueToTree(desired).equals(JSON.valueToTree(current.get().getStatus()))) {
      return;
    }
    String patch = TriggerStatuses.mergePatch(desired, current.get().getStatus()).toString();
    try {
      client
          .resources(Trigger.class)
          .inNamespace(ref.namespace())
          .withName(ref.name())
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.log(Level.WARNING, "cannot write the status of " + ref + ": " + e.getMessage());
      }
    }
  }

  private static String uid(Trigger trigger) {
    return trigger.getMetadata().getUid();
  }
}
