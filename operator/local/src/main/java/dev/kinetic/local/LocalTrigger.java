package dev.kinetic.local;

import dev.kinetic.api.Trigger;
import java.nio.file.Path;

/** A Trigger manifest accepted for local mode, with the file it came from. */
record LocalTrigger(Path manifest, Trigger trigger) {
  String key() {
    return trigger.getMetadata().getNamespace() + "/" + trigger.getMetadata().getName();
  }
}
