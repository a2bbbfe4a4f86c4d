package dev.kinetic.local;

import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.routes.FunctionKey;
import java.nio.file.Path;
import java.util.List;

/** A Function manifest accepted for local mode, with the command that runs one of its pods. */
record LocalFunction(
    Path manifest, Function function, EffectiveSpec effective, List<String> command) {
  FunctionKey key() {
    return keyOf(function);
  }

  /** Its namespace ({@code default} when the manifest names none) and name. */
  static FunctionKey keyOf(Function function) {
    String ns = function.getMetadata().getNamespace();
    return new FunctionKey(
        ns == null || ns.isBlank() ? "default" : ns, function.getMetadata().getName());
  }
}
