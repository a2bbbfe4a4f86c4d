package dev.kinetic.operator.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;

/**
 * {@code POST /autoscaler/demand} with {@code {"namespace":..,"name":..,"waiting":n}}: an activator
 * holds requests for a function with no ready pod and asks for pods now, without waiting for the
 * next decision. Bad input is a 400 with a JSON body; a full demand queue is a 503 with Retry-After
 * (the activator's next sample reaches the autoscaler within a second anyway).
 */
@ApplicationScoped
public class DemandRoute {
  public static final String PATH = "/autoscaler/demand";

  /** A demand is a few dozen bytes; anything much larger is not one. */
  static final long MAX_BODY_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AutoscalerService autoscaler;

  public DemandRoute(AutoscalerService autoscaler) {
    this.autoscaler = autoscaler;
  }

  void routes(@Observes Router router) {
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post(PATH).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    ResourceID function;
    int waiting;
    int seenPods;
    try {
      JsonNode body = JSON.readTree(ctx.body().asString());
      if (body == null || !body.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      function = new ResourceID(text(body, "name"), text(body, "namespace"));
      JsonNode w = body.path("waiting");
      if (!w.canConvertToInt() || w.asInt() < 1) {
        throw new IllegalArgumentException("\"waiting\" must be a positive integer");
      }
      waiting = w.asInt();
      // Absent from older activators: a signal at zero.
      JsonNode seen = body.path("seenPods");
      if (!seen.isMissingNode() && (!seen.canConvertToInt() || seen.asInt() < 0)) {
        throw new IllegalArgumentException("\"seenPods\" must be a whole number >= 0");
      }
      seenPods = seen.isMissingNode() ? 0 : seen.asInt();
    } catch (IOException | IllegalArgumentException e) {
      reply(ctx, 400, new JsonObject().put("error", "bad demand: " + e.getMessage()));
      return;
    }
    autoscaler
        .demand(function, waiting, seenPods)
        .whenComplete(
            (outcome, failure) -> {
              if (failure != null) {
                reply(ctx, 500, new JsonObject().put("error", failure.toString()));
                return;
              }
              JsonObject answer = new JsonObject().put("outcome", outcome.name());
              switch (outcome) {
                case SCALED, ALREADY_RUNNING -> reply(ctx, 200, answer);
                case UNKNOWN ->
                    reply(
                        ctx,
                        404,
                        answer.put(
                            "error",
                            "no function "
                                + function.getNamespace().orElse("")
                                + "/"
                                + function.getName()));
                case BUSY -> {
                  ctx.response().putHeader("Retry-After", "1");
                  reply(ctx, 503, answer.put("error", "too many pending demand signals"));
                }
                case DISABLED ->
                    reply(ctx, 503, answer.put("error", "the autoscaler is disabled here"));
              }
            });
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
    }
    return value.asText();
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
