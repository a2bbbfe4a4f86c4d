package dev.kinetic.operator;

import dev.kinetic.api.ConcurrencySpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Test data: Function objects with the fields a test cares about. */
public final class Functions {
  private Functions() {}

  public static Function function(String name, String image) {
    Function function = new Function();
    function.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("test")
            .withUid("uid-" + name)
            .withGeneration(1L)
            .build());
    FunctionSpec spec = new FunctionSpec();
    spec.setImage(image);
    function.setSpec(spec);
    return function;
  }

  public static Function withHard(Function function, int hard) {
    function.getSpec().setConcurrency(new ConcurrencySpec(hard, null));
    return function;
  }
}
