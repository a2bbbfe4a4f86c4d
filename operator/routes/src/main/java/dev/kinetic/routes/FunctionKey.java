package dev.kinetic.routes;

/** A Function's identity: namespace and name. */
public record FunctionKey(String namespace, String name) {
  /** The key of a stored Function. */
  public static FunctionKey of(dev.kinetic.api.Function function) {
    return new FunctionKey(function.getMetadata().getNamespace(), function.getMetadata().getName());
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
