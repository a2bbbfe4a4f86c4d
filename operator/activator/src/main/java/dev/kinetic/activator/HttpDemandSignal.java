package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Sends demand signals to the autoscaler ({@code POST /autoscaler/demand} on the operator). At most
 * one signal per function is on its way at a time: a cold start queues many requests, and each
 * calls {@link #demand}; the rest are dropped because the autoscaler scales on the first and sees
 * the queue in the next stats scrape anyway. So the pending set is bounded by the number of
 * functions, and a slow or absent autoscaler costs nothing but a log line.
 *
 * <p>A signal is pending for at most the timeout as a whole, not only while the autoscaler is
 * silent: an answer that trickles forever would otherwise hold its function's place — and with it
 * every later cold start of that function — for good.
 */
public final class HttpDemandSignal implements DemandSignal {
  private static final Logger LOG = Logger.getLogger(HttpDemandSignal.class.getName());

  private final HttpClientAgent client;
  private final URI target;
  private final long timeoutMs;
  private final Set<FunctionKey> pending = ConcurrentHashMap.newKeySet();

  public HttpDemandSignal(Vertx vertx, URI target, Duration timeout) {
    if (!"http".equals(target.getScheme()) || target.getHost() == null) {
      throw new IllegalArgumentException(
          "the autoscaler URL must be http://host[:port]/path, got " + target);
    }
    this.client =
        vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()));
    this.target = target;
    this.timeoutMs = timeout.toMillis();
    // The first signal is a cold start's, the one that must not wait: opening (and closing) one
    // connection now loads and initialises the client's connection path, which otherwise adds
    // about 200 ms to that signal. An autoscaler not up yet costs nothing: the result is ignored.
    body(new FunctionKey("warm", "up"), 1, 0);
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.HEAD)
                .setHost(target.getHost())
                .setPort(port(target))
                .setURI(target.getRawPath())
                .setIdleTimeout(timeoutMs))
        .compose(HttpClientRequest::send)
        .compose(HttpClientResponse::end);
  }

  private static String body(FunctionKey key, int waiting, int seenPods) {
    return new JsonObject()
        .put("namespace", key.namespace())
        .put("name", key.name())
        .put("waiting", Math.max(1, waiting))
        .put("seenPods", seenPods)
        .encode();
  }

  private static int port(URI target) {
    return target.getPort() == -1 ? 80 : target.getPort();
  }

  @Override
  public void demand(FunctionKey key, int waiting, int seenPods) {
    if (!pending.add(key)) {
      return;
    }
    String body = body(key, waiting, seenPods);
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(target.getHost())
            .setPort(port(target))
            .setURI(target.getRawPath())
            .setIdleTimeout(timeoutMs)
            .putHeader("Content-Type", "application/json");
    client
        .request(options)
        .compose(request -> answer(request, body))
        .onComplete(
            answer -> {
              pending.remove(key);
              if (answer.failed()) {
                LOG.warning(
                    () ->
                        "cannot signal demand for "
                            + key
                            + " to "
                            + target
                            + ": "
                            + answer.cause());
              } else if (answer.result() != 200) {
                LOG.warning(
                    () ->
                        "the autoscaler answered " + answer.result() + " to the demand for " + key);
              }
            });
  }

  /**
   * The autoscaler's status, within the timeout from sending. A request that runs out of time is
   * reset: its connection, with an answer perhaps still flowing, is closed rather than left to hold
   * a place in the client's pool.
   */
  private Future<Integer> answer(HttpClientRequest request, String body) {
    return request
        .send(body)
        .compose(response -> response.body().map(b -> response.statusCode()))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(e -> request.reset());
  }

  /** Signals on their way, for tests. */
  int pending() {
    return pending.size();
  }
}
