package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The kubelet's readiness checks, made by the activator: with a path, GET it and a status from 200
 * to 399 is ready; without one, a TCP connection that opens is ready (it is closed at once). Each
 * probe is bounded by the timeout as a whole (connecting, waiting, reading), and an answer's body
 * is never kept, so a pod that streams or stalls costs one connection for at most that long.
 */
final class PodReadinessProbe implements ReadinessProbe {
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final NetClient tcp;
  private final long timeoutMs;

  PodReadinessProbe(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMs = timeout.toMillis();
    // Probes stop once a pod is ready, so a kept-alive connection would mostly wait to be closed.
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout((int) timeoutMs).setKeepAlive(false));
    this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeoutMs));
  }

  @Override
  public CompletionStage<Boolean> ready(Endpoint endpoint, Optional<String> path) {
    return path.isPresent() ? get(endpoint, path.get()) : connect(endpoint);
  }

  private CompletionStage<Boolean> connect(Endpoint endpoint) {
    return tcp.connect(endpoint.port(), endpoint.host())
        .map(
            socket -> {
              socket.close();
              return true;
            })
        .otherwise(false)
        .toCompletionStage();
  }

  private CompletionStage<Boolean> get(Endpoint endpoint, String path) {
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
