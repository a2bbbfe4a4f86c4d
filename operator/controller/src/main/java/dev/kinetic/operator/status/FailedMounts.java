package dev.kinetic.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kubelet's {@code FailedMount} Events (and, for {@link NodesComing}, others about pods), as
 * the latest message for each pod. Pure.
 */
public final class FailedMounts {
  public static final String REASON = "FailedMount";

  private FailedMounts() {}

  public static Map<String, String> latestByPod(List<Event> events) {
    return latestByPod(events, Set.of(REASON));
  }

  /** Pod name → the latest message of the Events of these reasons about it. */
  static Map<String, String> latestByPod(List<Event> events, Set<String> reasons) {
    return events.stream()
        .filter(e -> reasons.contains(e.getReason()) && e.getInvolvedObject() != null)
        .filter(e -> e.getMessage() != null && !e.getMessage().isBlank())
        .collect(
            Collectors.toMap(
                e -> e.getInvolvedObject().getName(),
                e -> e,
                (a, b) -> Comparator.comparing(FailedMounts::when).compare(a, b) >= 0 ? a : b))
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getMessage()));
  }

  /**
   * When it last happened: RFC 3339 times in UTC, which order as text. The kubelet's Events carry
   * lastTimestamp; those written through events.k8s.io carry eventTime (and a series) instead.
   */
  static String when(Event e) {
    if (e.getSeries() != null && e.getSeries().getLastObservedTime() != null) {
      return Objects.toString(e.getSeries().getLastObservedTime().getTime(), "");
    }
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    return e.getEventTime() == null ? "" : Objects.toString(e.getEventTime().getTime(), "");
  }
}
