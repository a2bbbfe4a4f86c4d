package dev.kinetic.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every reason a Trigger's Ready condition can carry is explained in docs/troubleshooting.md. */
class TroubleshootingDocTest {
  private static final Path DOC = Path.of("../../docs/troubleshooting.md");

  @Test
  void everyTriggerReasonHasARow() throws Exception {
    List<String> reasons = new ArrayList<>();
    for (Class<?> owner : List.of(TriggerState.class, TriggerProblem.class)) {
      for (Field f : owner.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && Modifier.isPublic(f.getModifiers())
            && f.getType() == String.class) {
          reasons.add((String) f.get(null));
        }
      }
    }
    reasons.add(dev.kinetic.dispatcher.cluster.DeliveryFailures.REASON);
    String doc = Files.readString(DOC);

    assertThat(reasons)
        .contains("Scheduled", "FunctionNotFound", "InvalidSchedule", "InvalidTimeZone", "Pending");
    assertThat(reasons)
        .allSatisfy(reason -> assertThat(doc).as(reason).contains("| `" + reason + "` |"));
  }
}
