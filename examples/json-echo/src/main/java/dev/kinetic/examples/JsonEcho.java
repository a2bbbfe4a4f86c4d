package dev.kinetic.examples;

import dev.kinetic.function.BadRequestException;
import dev.kinetic.function.Context;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;

/**
 * Echoes a JSON message back with its length. Shows request validation: a body that is not the
 * expected JSON, or a message that breaks a rule, gets a 400 that says which.
 */
public final class JsonEcho implements HttpFunction {
  static final int MAX_MESSAGE = 1000;

  /** The request body. */
  public record EchoRequest(String message) {}

  /** The response body. */
  public record EchoResponse(String echo, int length) {}

  @Override
  public Response handle(Request request, Context context) {
    if (!"POST".equals(request.method())) {
      return Response.json(405, new Error("use POST with a JSON body {\"message\": \"...\"}"))
          .withHeader("Allow", "POST");
    }
    EchoRequest in = request.bodyAs(EchoRequest.class);
    if (in.message() == null || in.message().isBlank()) {
      throw new BadRequestException("message is required and must not be blank");
    }
    if (in.message().length() > MAX_MESSAGE) {
      throw new BadRequestException(
          "message must be at most " + MAX_MESSAGE + " characters, got " + in.message().length());
    }
    return Response.json(new EchoResponse(in.message(), in.message().length()));
  }

  /** A JSON error body of the function's own. */
  public record Error(String error) {}
}
