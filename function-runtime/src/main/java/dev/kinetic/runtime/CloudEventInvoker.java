package dev.kinetic.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.CloudEventFunction;
import dev.kinetic.function.Context;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * CloudEvents over HTTP: binary or structured mode in (the CloudEvents SDK reads both), a reply
 * event in binary mode out, 204 when the function has no reply, 400 when the request is no event
 * the SDK can read.
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
    } catch (CloudEventRWException | EventDeserializationException | IllegalStateException e) {
      // EventDeserializationException: the structured mode's JSON format refused the body (an
      // unknown specversion, a missing attribute, no JSON object) — the sender's fault, as in
      // binary mode, not the function's.
      throw new BadRequestException("not a valid CloudEvent: " + reason(e), e);
    }
  }

  /**
   * The innermost cause's own words: the SDK wraps Jackson's exception, whose message would add its
   * class name and a note that the source is redacted; the position is kept.
   */
  private static String reason(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof JsonProcessingException json && json.getLocation() != null) {
      return json.getOriginalMessage()
          + " (line "
          + json.getLocation().getLineNr()
          + ", column "
          + json.getLocation().getColumnNr()
          + ")";
    }
    return root.getMessage() != null ? root.getMessage() : e.getMessage();
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
