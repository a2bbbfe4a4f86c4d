package dev.kinetic.activator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The activator's own answers: JSON {@code {"error", "message", "requestId"}}, the same shape the
 * function runtime uses, so a client handles both alike.
 */
final class ErrorReplies {
  private static final JsonFactory JSON = new JsonFactory();

  private ErrorReplies() {}

  static void send(
      HttpServerResponse response, int status, String code, String message, String requestId) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    StringWriter body = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(body)) {
      g.writeStartObject();
      g.writeStringField("error", code);
      g.writeStringField("message", message);
      if (requestId != null) {
        g.writeStringField("requestId", requestId);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json");
    if (status == 503) {
      response.putHeader("Retry-After", "1");
    }
    if (requestId != null) {
      response.putHeader(Headers.REQUEST_ID, requestId);
    }
    response.end(body.toString());
  }
}
