package dev.kinetic.routes;

/** A Function's identity: namespace and name. */
public record FunctionKey(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
