package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The kubelet's HTTP readiness check, made by the activator: GET the path, a status from 200 to 399
 * is ready. Each probe is bounded by the timeout as a whole (connecting, waiting, reading), and the
 * answer's body is never kept, so a pod that streams or stalls costs one connection for at most
 * that long.
 */
final class HttpReadinessProbe implements ReadinessProbe {
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String path;
  private final long timeoutMs;

  HttpReadinessProbe(Vertx vertx, String path, Duration timeout) {
    this.vertx = vertx;
    this.path = path;
    this.timeoutMs = timeout.toMillis();
    // Probes stop once a pod is ready, so a kept-alive connection would mostly wait to be closed.
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) timeoutMs).setKeepAlive(false));
  }

  @Override
  public CompletionStage<Boolean> ready(Endpoint endpoint) {
    Promise<Boolean> answer = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> answer.tryComplete(false));
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setURI(path)
                .setIdleTimeout(timeoutMs))
        .compose(
            request -> {
              // The deadline also ends a probe that is still talking: drop its connection.
              answer.future().onComplete(done -> request.reset());
              return request.send();
            })
        .onComplete(
            response -> {
              if (response.succeeded()) {
                // Only the status is wanted: the reset that follows ends the rest of the body.
                response.result().exceptionHandler(cutShort -> {});
              }
              vertx.cancelTimer(timer);
              answer.tryComplete(
                  response.succeeded()
                      && response.result().statusCode() >= 200
                      && response.result().statusCode() < 400);
            });
    return answer.future().toCompletionStage();
  }
}
