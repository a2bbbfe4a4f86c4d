package dev.kinetic.dispatcher;

import java.util.OptionalInt;

/** Which functions exist, as the dispatcher needs to know them. */
public interface FunctionDirectory {
  /** The function's timeoutSeconds, or empty when there is no such Function. */
  OptionalInt timeoutSeconds(String namespace, String name);
}
