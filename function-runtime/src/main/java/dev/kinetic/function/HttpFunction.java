package dev.kinetic.function;

/**
 * A function that answers HTTP requests, one call per request, on a thread of its own. The host
 * interrupts that thread when the request's deadline passes; code that waits should let {@link
 * InterruptedException} end the call.
 */
@FunctionalInterface
public interface HttpFunction {
  Response handle(Request request, Context context) throws Exception;
}
