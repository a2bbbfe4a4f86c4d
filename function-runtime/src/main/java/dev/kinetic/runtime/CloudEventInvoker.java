package dev.kinetic.runtime;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.Context;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * CloudEvents over HTTP: binary or structured mode in (the CloudEvents SDK reads both), a reply
 * event in binary mode out, 204 when the function has no reply, 400 when the request is no event.
 */
final class CloudEventInvoker implements Invoker {
  private final CloudEventFunction function;

  CloudEventInvoker(CloudEventFunction function) {
    this.function = function;
  }

  @Override
  public Response invoke(Request request, Context context) throws Exception {
    CloudEvent reply = function.handle(readEvent(request), context);
    return reply == null ? Response.status(204) : binaryMode(reply);
  }

  private static CloudEvent readEvent(Request request) {
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
        response[0].headers().getOrDefault("Content-Type", List.of("application/json")).get(0);
    return response[0].withBody(body.toByteArray(), contentType);
  }
}
