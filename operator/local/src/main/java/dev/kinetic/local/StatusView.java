package dev.kinetic.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code kinetic status} prints, from a running {@code kinetic local}'s {@code /status} and
 * the activator's {@code /stats}: a table of functions, one of Triggers when there are any, and the
 * refused manifests. A Ready condition that is not True gets its message on the line below.
 */
final class StatusView {
  private StatusView() {}

  static List<String> lines(JsonNode status, JsonNode stats) {
    List<String> lines = new ArrayList<>(functions(status, stats).lines());
    if (!status.path("triggers").isEmpty()) {
      lines.add("");
      lines.addAll(triggers(status).lines());
    }
    for (JsonNode refused : status.path("refused")) {
      lines.add("refused " + refused.asText());
    }
    return lines;
  }

  private static Table functions(JsonNode status, JsonNode stats) {
    Map<String, JsonNode> traffic = new HashMap<>();
    for (JsonNode f : stats.path("functions")) {
      traffic.put(key(f), f);
    }
    Table table =
        new Table()
            .row(
                "FUNCTION", "URL", "READY", "IN-FLIGHT", "QUEUED", "AVG-1S", "RPS-1S", "CONDITION");
    for (JsonNode f : status.path("functions")) {
      JsonNode t = traffic.getOrDefault(key(f), MissingNode.getInstance());
      JsonNode ready = f.path("conditions").path(0);
      table.row(
          key(f),
          f.path("url").asText(),
          f.path("ready").asInt() + "/" + f.path("desired").asInt(),
          Integer.toString(t.path("inFlight").asInt()),
          Integer.toString(t.path("queued").asInt()),
          String.format(Locale.ROOT, "%.1f", t.path("averageConcurrency").asDouble()),
          String.format(Locale.ROOT, "%.1f", t.path("requestsPerSecond").asDouble()),
          condition(ready));
      noteUnlessReady(table, ready);
    }
    return table;
  }

  private static Table triggers(JsonNode status) {
    Table table =
        new Table()
            .row("TRIGGER", "FUNCTION", "SOURCE", "DELIVERED", "FAILED", "NEXT/LAG", "CONDITION");
    for (JsonNode t : status.path("triggers")) {
      JsonNode ready = t.path("conditions").path(0);
      table.row(
          key(t),
          t.path("function").asText(),
          t.path("source").asText(),
          Long.toString(t.path("delivered").asLong()),
          Long.toString(t.path("failed").asLong()),
          t.has("lag") ? "lag " + t.path("lag").asLong() : t.path("nextFireTime").asText("-"),
          condition(ready));
      noteUnlessReady(table, ready);
    }
    return table;
  }

  private static String key(JsonNode item) {
    return item.path("namespace").asText() + "/" + item.path("name").asText();
  }

  private static String condition(JsonNode ready) {
    return "Ready=" + ready.path("status").asText() + " " + ready.path("reason").asText();
  }

  private static void noteUnlessReady(Table table, JsonNode ready) {
    if (!"True".equals(ready.path("status").asText())) {
      table.note(ready.path("message").asText());
    }
  }
}
