package dev.kinetic.examples;

import dev.kinetic.function.Context;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Admits callers that present the token from API_TOKEN, which the manifest fills from a Secret. The
 * token is compared in constant time and never written anywhere: not to the log, not into a
 * response, not into an exception message.
 */
public final class TokenCheck implements HttpFunction {
  private static final String PREFIX = "Bearer ";
  private final byte[] token;

  public TokenCheck() {
    this(System.getenv());
  }

  TokenCheck(Map<String, String> env) {
    String value = env.get("API_TOKEN");
    if (value == null || value.isEmpty()) {
      // Says which variable, never what it holds.
      throw new IllegalStateException(
          "API_TOKEN is not set; the manifest maps it from the Secret api-token");
    }
    this.token = value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Response handle(Request request, Context context) {
    String presented =
        request
            .header("Authorization")
            .filter(h -> h.startsWith(PREFIX))
            .map(h -> h.substring(PREFIX.length()))
            .orElse("");
    if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
      context
          .logger()
          .warn(presented.isEmpty() ? "denied: no bearer token" : "denied: wrong token");
      return Response.json(
              401,
              Map.of("error", "unauthorized", "message", "present the API token as a bearer token"))
          .withHeader("WWW-Authenticate", "Bearer");
    }
    context.logger().info("authorized");
    return Response.ok("authorized\n");
  }
}
