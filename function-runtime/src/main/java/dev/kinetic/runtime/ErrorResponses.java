package dev.kinetic.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinetic.function.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The host's own answers. Every one has a JSON body {@code {"error", "message", "requestId"}}: a
 * machine-readable code, a sentence for a person, and the id to find the request in the logs. Never
 * a stack trace.
 */
final class ErrorResponses {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ErrorResponses() {}

  static Response badRequest(String message, String requestId) {
    return of(400, "bad_request", message, requestId);
  }

  static Response bodyTooLarge(int limit, String requestId) {
    return of(
        413,
        "body_too_large",
        "the request body is larger than " + limit + " bytes (KINETIC_MAX_BODY_BYTES)",
        requestId);
  }

  static Response headersTooLarge(int limit, String requestId) {
    return of(
        431,
        "headers_too_large",
        "the request headers are larger than " + limit + " bytes (KINETIC_MAX_HEADER_BYTES)",
        requestId);
  }

  static Response failed(String requestId) {
    return of(
        500,
        "function_error",
        "the function failed; its log has the details under this requestId",
        requestId);
  }

  /** 503s tell the caller when to try again: the activator and well-behaved clients do. */
  static Response overloaded(int limit, String requestId) {
    return of(
            503,
            "overloaded",
            "this instance is already handling its limit of " + limit + " concurrent requests",
            requestId)
        .withHeader("Retry-After", "1");
  }

  static Response notReady(String requestId) {
    return of(503, "not_ready", "the function is starting or stopping", requestId)
        .withHeader("Retry-After", "1");
  }

  static Response timedOut(long timeoutMillis, String requestId) {
    return of(
        504,
        "timeout",
        "the function did not answer within its timeout of " + timeoutMillis + " ms",
        requestId);
  }

  static Response of(int status, String code, String message, String requestId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("error", code);
      g.writeStringField("message", message);
      g.writeStringField("requestId", requestId);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Response.status(status).withBody(out.toByteArray(), "application/json");
  }
}
