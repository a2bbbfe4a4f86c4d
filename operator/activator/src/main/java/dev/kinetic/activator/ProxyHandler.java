package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.RouteTable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.streams.Pipe;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The request path: check framing, find the function, take a slot (or wait for one in the
 * function's bounded queue), stream the request to the pod and the response back, free the slot.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {
  static final long CONNECT_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final HttpClient client;
  private final ActivatorSettings settings;
  private final RouteTable routes;
  private final Gates gates;
  private final DemandSignal demand;
  private final ActivatorStats stats;

  ProxyHandler(
      Vertx vertx,
      HttpClient client,
      ActivatorSettings settings,
      RouteTable routes,
      Gates gates,
      DemandSignal demand,
      ActivatorStats stats) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.routes = routes;
    this.gates = gates;
    this.demand = demand;
    this.stats = stats;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String requestId = Headers.requestId(request);
    HttpServerResponse response = request.response();
    if (request.headers().contains("Content-Length")
        && request.headers().contains("Transfer-Encoding")) {
      // RFC 9112 §6.1: a message with both may be an attempt to smuggle a second request.
      reject(
          request, 400, "bad_framing", "Content-Length and Transfer-Encoding together", requestId);
      return;
    }
    if (request.version() == HttpVersion.HTTP_1_0 && request.getHeader("Host") == null) {
      reject(request, 400, "no_host", "HTTP/1.0 requests need a Host header here", requestId);
      return;
    }
    HostAndPort authority = request.authority();
    String host = authority == null ? null : authority.host();
    Optional<Target> target;
    try {
      target = Target.of(host, request.uri(), settings.domain());
    } catch (Target.Invalid e) {
      reject(request, 400, "bad_request", e.getMessage(), requestId);
      return;
    }
    if (target.isEmpty()) {
      reject(
          request,
          404,
          "no_function",
          "name the function by Host <function>.<namespace>."
              + settings.domain()
              + " or by path /<namespace>/<function>/",
          requestId);
      return;
    }
    Optional<Route> route = routes.route(target.get().key());
    if (route.isEmpty()) {
      reject(request, 404, "no_function", "no function " + target.get().key(), requestId);
      return;
    }
    long declared = contentLength(request);
    if (declared > settings.maxBodyBytes()) {
      reject(
          request,
          413,
          "body_too_large",
          "the body is larger than " + settings.maxBodyBytes() + " bytes",
          requestId);
      return;
    }
    stats.requestArrived(target.get().key());
    boolean hasBody = declared > 0 || request.headers().contains("Transfer-Encoding");
    if (hasBody) {
      request.pause(); // until a pod is chosen: the body then streams straight to it
    }
    new Attempt(request, target.get(), route.get(), requestId, Vertx.currentContext(), hasBody)
        .admit();
  }

  private static void reject(
      HttpServerRequest request, int status, String code, String message, String requestId) {
    ErrorReplies.send(request.response(), status, code, message, requestId);
    // The pod never sees this request; the body, if any, is not read.
    if (status == 413) {
      request.connection().close();
    }
  }

  private static long contentLength(HttpServerRequest request) {
    String value = request.getHeader("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One request on its way: admitted, maybe queued, forwarded once, retried at most once. */
  private final class Attempt implements Gate.Waiter {
    private final HttpServerRequest request;
    private final Target target;
    private final Route route;
    private final String requestId;
    private final Context context;
    private final Gate gate;
    private final boolean hasBody;
    private long queuedAt;
    private long timer = -1;
    private boolean coldStart;
    private boolean retried;

    Attempt(
        HttpServerRequest request,
        Target target,
        Route route,
        String requestId,
        Context context,
        boolean hasBody) {
      this.request = request;
      this.hasBody = hasBody;
      this.target = target;
      this.route = route;
      this.requestId = requestId;
      this.context = context;
      this.gate = gates.forRoute(route);
    }

    void admit() {
      queuedAt = System.nanoTime();
      Gate.Admission admission = gate.admit(this);
      switch (admission) {
        case GRANTED -> {}
        case QUEUED_NO_POD, QUEUED_PODS_FULL -> {
          coldStart = admission == Gate.Admission.QUEUED_NO_POD;
          if (coldStart) {
            demand.demand(target.key(), gate.queued());
          }
          long waitMs = Math.min(settings.maxQueueWait().toMillis(), route.timeout().toMillis());
          timer = vertx.setTimer(Math.max(1, waitMs), id -> waitedTooLong(waitMs));
        }
        case REJECTED -> {
          answer(
              503,
              "queue_full",
              "function " + target.key() + " has " + settings.queueDepth() + " requests waiting");
        }
      }
    }

    @Override
    public void granted(Gate.Lease lease) {
      if (timer < 0 && Vertx.currentContext() == context) {
        forward(lease); // admitted at once, on the request's own event loop
        return;
      }
      context.runOnContext(
          v -> {
            if (timer >= 0) {
              vertx.cancelTimer(timer);
              timer = -1;
              stats.waited(target.key(), System.nanoTime() - queuedAt, coldStart);
            }
            forward(lease);
          });
    }

    private void waitedTooLong(long waitMs) {
      if (gate.cancel(this)) {
        answer(
            504,
            "no_capacity",
            "no pod of " + target.key() + " could take the request within " + waitMs + " ms");
      }
    }

    private void forward(Gate.Lease lease) {
      HttpServerResponse response = request.response();
      if (response.closed()) {
        lease.release(); // the client went away while waiting
        return;
      }
      Endpoint endpoint = lease.endpoint();
      String host = request.authority() == null ? "" : request.authority().toString();
      RequestOptions options =
          new RequestOptions()
              .setHost(endpoint.host())
              .setPort(endpoint.port())
              .setMethod(request.method())
              .setURI(target.forwardPath())
              .setHeaders(Headers.toPod(request, host, requestId))
              // Bounds getting a connection from the pool as well as connecting: no wait unbounded.
              .setConnectTimeout(CONNECT_TIMEOUT_MS)
              .setIdleTimeout(route.timeout().toMillis());
      client
          .request(options)
          .onComplete(
              connected -> {
                if (connected.failed()) {
                  // Nothing of the request reached the pod: safe to try another one, once.
                  lease.release();
                  gate.markFailed(endpoint);
                  if (!retried) {
                    retried = true;
                    admit();
                  } else {
                    answer(
                        502,
                        "pod_unreachable",
                        "no pod of " + target.key() + " accepted a connection");
                  }
                  return;
                }
                relay(connected.result(), lease);
              });
    }

    private void relay(HttpClientRequest toPod, Gate.Lease lease) {
      HttpServerResponse response = request.response();
      // Every failure of the exchange also fails the response future below, where it is
      // answered; without this the same failure would be logged again as unhandled.
      toPod.exceptionHandler(handledBelow -> {});
      Future<HttpClientResponse> sent;
      BoundedBody body = null;
      if (hasBody) {
        body = new BoundedBody(request, settings.maxBodyBytes());
        if (!request.headers().contains("Content-Length")) {
          toPod.setChunked(true);
        }
        // Streamed; on a failure the pod's request is reset, never ended: a cut-off body must not
        // look complete to the function.
        Pipe<Buffer> pipe = body.pipe().endOnFailure(false);
        pipe.to(toPod).onFailure(error -> toPod.reset(0, error));
        sent = toPod.response();
      } else {
        sent = toPod.send();
      }
      BoundedBody sentBody = body;
      sent.onComplete(
          answered -> {
            if (answered.failed()) {
              lease.release();
              failed(answered.cause(), sentBody != null && sentBody.exceeded());
              return;
            }
            HttpClientResponse fromPod = answered.result();
            if (response.closed()) {
              // The client left while the pod worked: nobody is left to read the answer. Close
              // the pod's connection rather than drain a body of any size into nothing.
              abandon(fromPod);
              lease.release();
              return;
            }
            response.setStatusCode(fromPod.statusCode());
            Headers.copyEndToEnd(fromPod.headers(), response.headers());
            response.headers().set(Headers.REQUEST_ID, requestId);
            if (!response.headers().contains("Content-Length")) {
              response.setChunked(true);
            }
            // A client gone mid-answer: cut the pod's stream at once, before its next chunk
            // meets the closed response, and free the slot (the pipe, its source cut, never
            // completes; releasing twice frees one slot).
            response.closeHandler(
                closed -> {
                  if (!response.ended()) {
                    abandon(fromPod);
                    lease.release();
                  }
                });
            fromPod
                .pipeTo(response)
                .onComplete(
                    done -> {
                      if (done.failed()) {
                        abandon(fromPod);
                      }
                      lease.release();
                    });
          });
    }

    /**
     * Stops relaying a pod's answer nobody will read: the pod's connection is closed rather than a
     * body of any size drained into nothing. The reset this causes is ours, not news to log.
     */
    private void abandon(HttpClientResponse fromPod) {
      fromPod.exceptionHandler(ours -> {});
      fromPod.request().reset();
    }

    /** The activator's own answer to this request, counted by its code. */
    private void answer(int status, String code, String message) {
      stats.rejected(target.key(), code);
      ErrorReplies.send(request.response(), status, code, message, requestId);
    }

    private void failed(Throwable cause, boolean bodyTooLarge) {
      HttpServerResponse response = request.response();
      if (bodyTooLarge) {
        answer(
            413, "body_too_large", "the body is larger than " + settings.maxBodyBytes() + " bytes");
        request.connection().close();
        return;
      }
      boolean timedOut = cause instanceof TimeoutException;
      if (response.headWritten()) {
        stats.rejected(target.key(), timedOut ? "timeout" : "pod_error");
        response.reset(); // mid-response: all the client can be told is that it broke
      } else if (timedOut) {
        answer(
            504,
            "timeout",
            "the function did not answer within " + route.timeout().toMillis() + " ms");
      } else {
        answer(502, "pod_error", "the pod closed the connection before answering");
      }
    }
  }
}
