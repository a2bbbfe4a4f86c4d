package dev.kinetic.operator.events;

import dev.kinetic.api.Function;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Records, once each, the Events of what happened to a function's pods that no condition keeps: a
 * node's eviction ({@link PodEvictions}) and a container's restart ({@link ContainerRestarts}).
 * Every reconcile sees the same pods again (an evicted pod stays until the cluster collects it), so
 * the Events already recorded are remembered by name, up to {@link #REMEMBERED} of them. One
 * forgotten, or seen by another operator replica, costs one refused create: each Event's name says
 * which pod and which occurrence it is about.
 */
public final class PodEventReporter {
  private static final Logger LOG = Logger.getLogger(PodEventReporter.class);
  private static final int HTTP_CONFLICT = 409;

  /** Event names remembered at most: the oldest are forgotten first. */
  static final int REMEMBERED = 10_000;

  private final Clock clock;
  private final Set<String> recorded =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  public PodEventReporter(Clock clock) {
    this.clock = clock;
  }

  public void report(KubernetesClient client, Function function, Collection<Pod> pods) {
    Instant now = clock.instant();
    List<Event> events =
        Stream.concat(
                pods.stream().flatMap(pod -> PodEvictions.event(function, pod, now).stream()),
                pods.stream().flatMap(pod -> ContainerRestarts.events(function, pod, now)))
            .toList();
    for (Event event : events) {
      String name = event.getMetadata().getName();
      if (!recorded.contains(name) && create(client, event)) {
        recorded.add(name);
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
        return true; // recorded before, by this replica before a restart or by another
      }
      LOG.warnf("cannot record the Event %s: %s", event.getMetadata().getName(), e.getMessage());
      return false;
    }
  }
}
