package dev.kinetic.autoscaler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's cap on pods across all functions. When the functions together want more, each gets
 * a fair share by water-filling: functions that want less than an equal share keep what they want,
 * and what they leave is shared among the others. The reason says when the cap bound.
 */
public final class FleetCaps {
  private FleetCaps() {}

  public static <K> Map<K, Decision> apply(Map<K, Decision> wanted, int totalCap) {
    int sum = wanted.values().stream().mapToInt(Decision::replicas).sum();
    if (sum <= totalCap) {
      return wanted;
    }
    List<Map.Entry<K, Decision>> byNeed = new ArrayList<>(wanted.entrySet());
    byNeed.sort(Comparator.comparingInt(e -> e.getValue().replicas()));
    Map<K, Decision> capped = new LinkedHashMap<>();
    int left = totalCap;
    for (int i = 0; i < byNeed.size(); i++) {
      Map.Entry<K, Decision> e = byNeed.get(i);
      int share = left / (byNeed.size() - i);
      Decision d = e.getValue();
      int granted = Math.min(d.replicas(), share);
      left -= granted;
      capped.put(
          e.getKey(),
          granted == d.replicas()
              ? d
              : new Decision(
                  granted,
                  d.panic(),
                  d.reason()
                      + "; the platform's total of "
                      + totalCap
                      + " pods binds: fair share "
                      + granted
                      + " of "
                      + d.replicas()
                      + " wanted"));
    }
    Map<K, Decision> inOrder = new LinkedHashMap<>();
    for (K key : wanted.keySet()) {
      inOrder.put(key, capped.get(key));
    }
    return inOrder;
  }
}
