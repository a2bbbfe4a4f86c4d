package dev.kinetic.examples;

import dev.kinetic.function.Context;
import dev.kinetic.function.HttpFunction;
import dev.kinetic.function.Request;
import dev.kinetic.function.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Admits callers that present the API token: from API_TOKEN, which the manifest fills from a
 * Secret, or from the file API_TOKEN_FILE names, a Secret mounted as a volume. The file is read on
 * each request, so a rotated Secret takes effect when the kubelet updates the file, without a
 * restart. The token is compared in constant time and never written anywhere: not to the log, not
 * into a response, not into an exception message.
 */
public final class TokenCheck implements HttpFunction {
  private static final String PREFIX = "Bearer ";
  private final Supplier<byte[]> token;

  public TokenCheck() {
    this(System.getenv());
  }

  TokenCheck(Map<String, String> env) {
    String file = env.get("API_TOKEN_FILE");
    if (file != null && !file.isEmpty()) {
      Path path = Path.of(file);
      // Says which file, never what it holds.
      if (!Files.isReadable(path)) {
        throw new IllegalStateException(
            "API_TOKEN_FILE names " + file + ", which cannot be read; is the Secret mounted?");
      }
      this.token = () -> read(path);
      return;
    }
    String value = env.get("API_TOKEN");
    if (value == null || value.isEmpty()) {
      // Says which variable, never what it holds.
      throw new IllegalStateException(
          "API_TOKEN is not set; the manifest maps it from the Secret api-token");
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    this.token = () -> bytes;
  }

  /** The file's token, without the line end that `kubectl create secret --from-file` keeps. */
  private static byte[] read(Path path) {
    try {
      return Files.readString(path).strip().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + path, e);
    }
  }

  @Override
  public Response handle(Request request, Context context) {
    String presented =
        request
            .header("Authorization")
            .filter(h -> h.startsWith(PREFIX))
            .map(h -> h.substring(PREFIX.length()))
            .orElse("");
    if (!MessageDigest.isEqual(token.get(), presented.getBytes(StandardCharsets.UTF_8))) {
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
