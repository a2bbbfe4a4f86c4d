package dev.kinetic.runtime;

import dev.kinetic.function.Context;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;

/**
 * Calls the user's function for one request, on the calling thread, whatever kind of function it
 * is. The host interrupts that thread at the deadline.
 */
@FunctionalInterface
public interface Invoker {
  Response invoke(Request request, Context context) throws Exception;
}
