package dev.kinetic.runtime;

import dev.kinetic.function.AsyncHttpFunction;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.Context;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Adapts each kind of function the SDK offers to an {@link Invoker}. Only the adapter a process
 * needs is loaded: an HTTP function never loads the CloudEvents classes.
 */
public final class Invokers {
  private Invokers() {}

  public static Invoker of(Object function) {
    if (function instanceof HttpFunction http) {
      return new HttpInvoker(http);
    }
    if (function instanceof AsyncHttpFunction async) {
      return (request, context) -> await(async.handle(request, context).toCompletableFuture());
    }
    if (function instanceof CloudEventFunction events) {
      return new CloudEventInvoker(events);
    }
    throw new IllegalArgumentException(
        function.getClass().getName()
            + " implements none of HttpFunction, AsyncHttpFunction, CloudEventFunction");
  }

  /** Waits for an asynchronous function; the deadline's interrupt cancels what it started. */
  private static Response await(CompletableFuture<Response> future) throws Exception {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  /** A class, not {@code http::handle}: see FunctionHost on lambdas at start-up. */
  private static final class HttpInvoker implements Invoker {
    private final HttpFunction function;

    HttpInvoker(HttpFunction function) {
      this.function = function;
    }

    @Override
    public Response invoke(Request request, Context context) throws Exception {
      return function.handle(request, context);
    }
  }
}
