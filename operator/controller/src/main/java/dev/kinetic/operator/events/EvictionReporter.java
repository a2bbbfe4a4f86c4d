package dev.kinetic.operator.events;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Records a {@link PodEvictions} Event once for each evicted pod of a function. An evicted pod
 * stays (failed pods are kept until the cluster collects them), and every reconcile sees it again:
 * the pods already reported are remembered, up to {@link #REMEMBERED} of them. One forgotten, or
 * seen by another operator replica, costs one refused create: the Event's name is the pod's.
 */
public final class EvictionReporter {
  private static final Logger LOG = Logger.getLogger(EvictionReporter.class);
  private static final int HTTP_CONFLICT = 409;

  /** Evicted pods remembered at most (their UIDs): the oldest are forgotten first. */
  static final int REMEMBERED = 10_000;

  private final Clock clock;
  private final Set<String> reported =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  public EvictionReporter(Clock clock) {
    this.clock = clock;
  }

  public void report(KubernetesClient client, Function function, Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (!PodEvictions.evicted(pod) || reported.contains(pod.getMetadata().getUid())) {
        continue;
      }
      Optional<Event> event = PodEvictions.event(function, pod, clock.instant());
      if (event.isEmpty() || create(client, event.get())) {
        reported.add(pod.getMetadata().getUid());
      }
    }
  }

  /** Whether the Event exists now; a failure is logged and tried again on the next reconcile. */
  private static boolean create(KubernetesClient client, Event event) {
    try {
      client.v1().events().resource(event).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HTTP_CONFLICT) {
        return true; // reported before, by this replica before a restart or by another
      }
      LOG.warnf(
          "cannot record the eviction Event %s: %s", event.getMetadata().getName(), e.getMessage());
      return false;
    }
  }
}
