package dev.kinetic.runtime;

import dev.kinetic.function.AsyncHttpFunction;
import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Response;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Adapts each kind of function the SDK offers to an {@link Invoker}. */
public final class Invokers {
  private Invokers() {}

  public static Invoker of(Object function) {
    if (function instanceof HttpFunction http) {
      return http::handle;
    }
    if (function instanceof AsyncHttpFunction async) {
      return (request, context) -> await(async.handle(request, context).toCompletableFuture());
    }
    if (function instanceof CloudEventFunction events) {
      return (request, context) -> {
        CloudEvent reply = events.handle(readEvent(request), context);
        return reply == null ? Response.status(204) : binaryMode(reply);
      };
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

  private static CloudEvent readEvent(dev.kinetic.function.Request request) {
    try {
      return HttpMessageFactory.createReaderFromMultimap(request.headers(), request.body())
          .toEvent();
    } catch (CloudEventRWException | IllegalStateException e) {
      throw new BadRequestException("not a valid CloudEvent: " + e.getMessage(), e);
    }
  }

  private static Response binaryMode(CloudEvent event) {
    Response[] response = {Response.status(200)};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpMessageFactory.createWriter(
            (name, value) -> response[0] = response[0].withHeader(name, value), body::writeBytes)
        .writeBinary(event);
    String contentType =
        response[0]
            .headers()
            .getOrDefault("Content-Type", java.util.List.of("application/json"))
            .get(0);
    return response[0].withBody(body.toByteArray(), contentType);
  }
}
