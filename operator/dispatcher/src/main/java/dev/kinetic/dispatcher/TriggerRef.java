package dev.kinetic.dispatcher;

/** A Trigger's identity: its namespace and name, and its uid (which differs if it is recreated). */
public record TriggerRef(String namespace, String name, String uid) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
