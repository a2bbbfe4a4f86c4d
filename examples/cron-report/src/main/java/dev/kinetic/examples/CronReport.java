package dev.kinetic.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.Context;
import dev.kinetic.function.Json;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Fired by a schedule (trigger.yaml): writes the report its payload names for the scheduled time.
 * The same image runs as the Trigger's dead-letter Function (dead-letters.yaml), which logs each
 * event the dispatcher gave up on.
 *
 * <p>Triggers deliver at least once, so the same event may come twice (a retry after an answer that
 * was lost, a new dispatcher leader): its id is the same each time, and a report already written
 * for an id is not written again. The ids are kept in memory, bounded, which is enough for one
 * process; a report that must never repeat across pods keeps them in its own store.
 */
public final class CronReport implements CloudEventFunction {
  static final String SCHEDULE = "dev.kinetic.trigger.schedule";
  static final int REMEMBERED_IDS = 1000;

  private final Set<String> done =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED_IDS;
                }
              }));

  /** Set by the dispatcher on an event given up on (docs/triggers.md#dead-letters). */
  static final String ERROR = "kineticerror";

  static final String ERROR_FUNCTION = "kineticerrorfunction";

  @Override
  public CloudEvent handle(CloudEvent event, Context context) {
    if (event.getExtension(ERROR) != null) {
      // Run as the Trigger's dead-letter Function (dead-letters.yaml): the report was not written.
      // The line keeps what a replay needs: the id and scheduled time, and why it failed.
      context
          .logger()
          .warn(
              "dead letter "
                  + event.getId()
                  + " for "
                  + event.getTime()
                  + " from "
                  + event.getExtension(ERROR_FUNCTION)
                  + ": "
                  + event.getExtension(ERROR));
      return null;
    }
    if (!SCHEDULE.equals(event.getType())) {
      // A 400 is final: the dispatcher does not retry it.
      throw new BadRequestException(
          "cron-report takes " + SCHEDULE + " events, not " + event.getType());
    }
    if (!done.add(event.getId())) {
      context.logger().info("already reported " + event.getId());
      return null;
    }
    String report = report(event);
    context
        .logger()
        .info("report " + report + " for " + event.getTime() + " (" + event.getId() + ")");
    return null;
  }

  private static String report(CloudEvent event) {
    if (event.getData() == null) {
      return "summary";
    }
    try {
      JsonNode data = Json.mapper().readTree(event.getData().toBytes());
      JsonNode name = data.get("report");
      return name != null && name.isTextual() ? name.asText() : "summary";
    } catch (IOException e) {
      throw new BadRequestException("the schedule's payload is not JSON", e);
    }
  }
}
