package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.Route;
import dev.kinetic.routes.Unavailable;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request on its way: admitted (or queued, or refused), forwarded to a pod once — or once more
 * when the first pod refused the connection, before any byte reached it — and the pod's answer
 * streamed back. Everything runs on the client connection's event loop, which is also the pod
 * connection's: a grant from another thread hops there first.
 *
 * <p>The slot is held from the grant until the exchange ends, however it ends: answered, timed out,
 * or abandoned by the client or the pod.
 */
final class Exchange implements Gate.Waiter {
  private final ClientConnection connection;
  private final ChannelHandlerContext client;
  private final EventLoop loop;
  private final Proxy proxy;
  private final PodConnections pods;
  private final HttpRequest request;
  private final Target target;
  private final Route route;
  private final String requestId;
  private final Gate gate;
  private final boolean chunked;
  private final boolean expectContinue;
  private final boolean head;
  // Whether the client wants its connection kept after this exchange (HTTP/1.1 unless it says
  // close, HTTP/1.0 only when it says keep-alive). Read before its headers are rewritten.
  private final boolean clientKeepAlive;
  private final HttpVersion clientVersion;
  private boolean closeClient;
  // Body parts read before a pod was chosen. Reading pauses while a body waits, so this holds at
  // most what one read had already decoded.
  private final ArrayDeque<HttpContent> early = new ArrayDeque<>();
  private boolean requestComplete;
  private long bodyBytes;
  private boolean queued;
  private boolean coldStart;
  private long queuedAt;
  private ScheduledFuture<?> timer;
  private boolean retried;
  private Gate.Lease lease;
  private Endpoint endpoint;
  private Channel pod;
  private boolean podKeepAlive;
  private boolean informational;
  private boolean headWritten;
  private long lastActivity;
  private boolean ended;

  Exchange(
      ClientConnection connection,
      Proxy proxy,
      PodConnections pods,
      HttpRequest request,
      Target target,
      Route route,
      String requestId) {
    this.connection = connection;
    this.client = connection.context();
    this.loop = client.channel().eventLoop();
    this.proxy = proxy;
    this.pods = pods;
    this.request = request;
    this.target = target;
    this.route = route;
    this.requestId = requestId;
    this.gate = proxy.gates.forRoute(route);
    this.chunked = HttpUtil.isTransferEncodingChunked(request);
    this.expectContinue = HttpUtil.is100ContinueExpected(request);
    this.head = request.method().equals(HttpMethod.HEAD);
    this.clientKeepAlive = HttpUtil.isKeepAlive(request);
    this.clientVersion = request.protocolVersion();
    proxy.exchangeOpened();
    if (chunked || HttpUtil.getContentLength(request, 0L) > 0) {
      // Until a pod is chosen: the body then streams straight to it.
      client.channel().config().setAutoRead(false);
    }
  }

  boolean requestComplete() {
    return requestComplete;
  }

  /** Whether the client's connection should be read: for the body, or to notice it closing. */
  boolean wantsClientReads() {
    return requestComplete || (pod != null && pod.isWritable());
  }

  void admit() {
    queuedAt = System.nanoTime();
    Gate.Admission admission = gate.admit(this);
    switch (admission) {
      case GRANTED -> {}
      case QUEUED_NO_POD, QUEUED_NO_SLOT, QUEUED_PODS_FULL -> {
        queued = true;
        // Either way the request waits for a pod to start.
        coldStart = admission != Gate.Admission.QUEUED_PODS_FULL;
        if (admission == Gate.Admission.QUEUED_NO_POD) {
          proxy.demand.demand(target.key(), gate.queued(), 0);
        } else if (admission == Gate.Admission.QUEUED_NO_SLOT) {
          proxy.demand.demand(target.key(), gate.queued(), gate.readyPods());
        }
        long waitMs =
            Math.max(
                1, Math.min(proxy.settings.maxQueueWait().toMillis(), route.timeout().toMillis()));
        timer = loop.schedule(() -> waitedTooLong(waitMs), waitMs, TimeUnit.MILLISECONDS);
      }
      case UNAVAILABLE -> answerUnavailable(gate.whyUnavailable());
      case REJECTED ->
          answer(
              503,
              "queue_full",
              "function "
                  + target.key()
                  + " has "
                  + proxy.settings.queueDepth()
                  + " requests waiting");
    }
  }

  @Override
  public void unavailable(Unavailable why) {
    loop.execute(
        () -> {
          if (queued && !ended) {
            queued = false;
            cancelTimer();
            answerUnavailable(why);
          }
        });
  }

  /** 503 at once, with the reason the function cannot start: no point waiting for a pod. */
  private void answerUnavailable(Unavailable why) {
    answer(
        503,
        "function_unavailable",
        target.key()
            + " cannot start a pod ("
            + why.reason()
            + "): "
            + why.message()
            + (why.message().endsWith(".") ? "" : ".")
            + " Requests are answered at once until that changes.");
  }

  @Override
  public void granted(Gate.Lease lease) {
    if (!queued && loop.inEventLoop()) {
      forward(lease); // admitted at once, on the request's own event loop
      return;
    }
    loop.execute(
        () -> {
          if (queued) {
            queued = false;
            cancelTimer();
            proxy.stats.waited(target.key(), System.nanoTime() - queuedAt, coldStart);
          }
          forward(lease);
        });
  }

  private void waitedTooLong(long waitMs) {
    timer = null;
    if (!ended && gate.cancel(this)) {
      queued = false;
      answer(
          504,
          "no_capacity",
          "no pod of " + target.key() + " could take the request within " + waitMs + " ms");
    }
  }

  private void forward(Gate.Lease granted) {
    if (ended) {
      granted.release(); // the client went away while waiting
      return;
    }
    lease = granted;
    endpoint = granted.endpoint();
    ChannelFuture connecting = pods.acquire(endpoint);
    if (connecting.isDone()) {
      connected(connecting);
    } else {
      connecting.addListener(f -> connected(connecting));
    }
  }

  private void connected(ChannelFuture connecting) {
    if (!connecting.isSuccess()) {
      // Nothing of the request reached the pod: safe to try another one, once.
      releaseLease();
      gate.markFailed(endpoint);
      if (ended) {
        return;
      }
      // Only another pod is worth a retry: queueing again for this one would wait for a pod the
      // endpoints still call ready, send a false cold-start demand, and end as a 504.
      if (!retried && gate.readyPods() > 0) {
        retried = true;
        admit();
      } else {
        answer(502, "pod_unreachable", "no pod of " + target.key() + " accepted a connection");
      }
      return;
    }
    Channel channel = connecting.channel();
    if (ended) {
      pods.release(endpoint, channel, true);
      releaseLease();
      return;
    }
    pod = channel;
    PodConnections.attach(pod, this);
    if (expectContinue) {
      // The activator answers Expect itself, once a pod is ready for the body.
      client.writeAndFlush(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    Headers.toPod(request.headers(), connection.clientAddress(), endpoint, requestId);
    request.setUri(target.forwardPath());
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
    if (chunked) {
      HttpUtil.setTransferEncodingChunked(request, true);
    }
    pod.write(request);
    HttpContent part;
    while ((part = early.poll()) != null) {
      pod.write(part);
    }
    pod.flush();
    lastActivity = System.nanoTime();
    long timeoutNanos = route.timeout().toNanos();
    timer = loop.schedule(this::checkIdle, timeoutNanos, TimeUnit.NANOSECONDS);
    if (!requestComplete && pod.isWritable()) {
      client.channel().config().setAutoRead(true);
    }
  }

  /** A part of the request body. */
  void fromClient(HttpContent part) {
    if (part.decoderResult().isFailure()) {
      part.release();
      fail(400, "bad_request", "malformed body: " + part.decoderResult().cause().getMessage());
      return;
    }
    bodyBytes += part.content().readableBytes();
    if (bodyBytes > proxy.settings.maxBodyBytes()) {
      // Known only now for a chunked body. The pod's connection closes mid-body: a cut-off body
      // must not look complete to the function.
      part.release();
      fail(
          413,
          "body_too_large",
          "the body is larger than " + proxy.settings.maxBodyBytes() + " bytes");
      return;
    }
    if (part instanceof LastHttpContent) {
      requestComplete = true;
    }
    if (pod == null) {
      early.add(part);
      return;
    }
    lastActivity = System.nanoTime();
    if (requestComplete) {
      pod.writeAndFlush(part);
    } else {
      pod.write(part);
      if (!pod.isWritable()) {
        client.channel().config().setAutoRead(false); // until the pod has taken what it has
      }
    }
  }

  void clientReadComplete() {
    if (pod != null) {
      pod.flush();
    }
  }

  void podWritabilityChanged() {
    if (!requestComplete && pod.isWritable()) {
      client.channel().config().setAutoRead(true);
    }
  }

  /** A part of the pod's answer. */
  void fromPod(HttpObject msg) {
    lastActivity = System.nanoTime();
    if (msg.decoderResult().isFailure()) {
      // A response head over the limit, or broken framing: nothing more from this pod is usable.
      ReferenceCountUtil.release(msg);
      fail(502, "pod_error", "the pod's answer is malformed: " + msg.decoderResult().cause());
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        // 100 Continue was answered here already and Upgrade is never forwarded; the client
        // gets the final answer only. Its empty last part follows and is dropped too.
        informational = true;
        ReferenceCountUtil.release(msg);
        return;
      }
      relayHead(response);
    }
    if (msg instanceof HttpContent part) {
      if (informational) {
        informational = false;
        part.release();
        return;
      }
      if (part instanceof LastHttpContent) {
        ChannelFuture written = client.writeAndFlush(part);
        if (closeClient) {
          written.addListener(ChannelFutureListener.CLOSE);
        }
        end(podKeepAlive && requestComplete);
        return;
      }
      client.write(part);
      if (!client.channel().isWritable()) {
        pod.config().setAutoRead(false); // until the client has taken what it has
      }
    }
  }

  private void relayHead(HttpResponse response) {
    podKeepAlive = HttpUtil.isKeepAlive(response);
    Headers.toClient(response.headers(), requestId);
    response.setProtocolVersion(clientVersion);
    int status = response.status().code();
    boolean bodyAllowed = !head && status != 204 && status != 304;
    boolean delimited = !bodyAllowed || response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    if (!delimited && clientVersion.equals(HttpVersion.HTTP_1_1)) {
      HttpUtil.setTransferEncodingChunked(response, true);
      delimited = true;
    }
    // An HTTP/1.0 client reads a body of unknown length to the end of the connection; the rest
    // of a request answered early is not read; draining closes every connection.
    closeClient = !delimited || !keepClient();
    HttpUtil.setKeepAlive(response, !closeClient);
    headWritten = true;
    client.write(response);
  }

  void podReadComplete() {
    client.flush();
  }

  void clientWritabilityChanged() {
    if (pod != null && client.channel().isWritable()) {
      pod.config().setAutoRead(true);
    }
  }

  /** The pod closed or reset the connection before the end of its answer. */
  void podClosed() {
    pod = null; // gone: nothing to close or return
    if (!ended) {
      fail(502, "pod_error", "the pod closed the connection before answering");
    }
  }

  /** The client closed its connection: whatever the pod still does for it is abandoned. */
  void clientGone() {
    if (ended) {
      return;
    }
    if (queued && gate.cancel(this)) {
      queued = false; // otherwise the grant is on its way and forward() gives the slot back
    }
    abandonPod();
    end(false);
  }

  /**
   * The client stopped sending its body for longer than the body timeout: 408 if the answer has not
   * begun (the pod's connection, holding a cut request, is closed), else the connection cut.
   */
  void clientStalled(java.time.Duration limit) {
    if (ended) {
      return;
    }
    if (queued && gate.cancel(this)) {
      queued = false; // otherwise the grant is on its way and forward() gives the slot back
    }
    fail(
        408,
        "body_timeout",
        "the request body stopped arriving for more than " + limit.toMillis() + " ms");
  }

  /** The activator stops before this exchange ended: 503 if the answer has not begun, else cut. */
  void shutDown() {
    if (ended) {
      return;
    }
    if (queued && gate.cancel(this)) {
      queued = false; // otherwise the grant is on its way and forward() gives the slot back
    }
    fail(503, "shutting_down", "the activator stopped before this request was answered; retry");
  }

  private void checkIdle() {
    timer = null;
    if (ended) {
      return;
    }
    long timeoutNanos = route.timeout().toNanos();
    long idle = System.nanoTime() - lastActivity;
    if (idle < timeoutNanos) {
      timer = loop.schedule(this::checkIdle, timeoutNanos - idle, TimeUnit.NANOSECONDS);
      return;
    }
    fail(
        504, "timeout", "the function did not answer within " + route.timeout().toMillis() + " ms");
  }

  /**
   * Ends a forwarded exchange that broke: the pod's connection is closed, and the client gets the
   * error — or, when the answer's head has already gone out, a closed connection, all that can
   * still tell it the answer broke.
   */
  private void fail(int status, String code, String message) {
    abandonPod();
    if (headWritten) {
      proxy.stats.rejected(target.key(), code);
      end(false);
      client.close();
    } else {
      answer(status, code, message);
    }
  }

  /** The activator's own answer to this request, counted by its code; ends the exchange. */
  private void answer(int status, String code, String message) {
    proxy.stats.rejected(target.key(), code);
    ErrorReplies.send(
        client,
        clientVersion,
        keepClient(),
        proxy.settings.clients().linger(),
        status,
        code,
        message,
        requestId);
    end(false);
  }

  /** Whether the client's connection goes on after this answer. */
  private boolean keepClient() {
    return clientKeepAlive && requestComplete && !connection.closing();
  }

  private void abandonPod() {
    if (pod != null) {
      PodConnections.abandon(pod);
      pod = null;
    }
  }

  /** Frees the slot, gives back or closes the pod's connection, and lets the next request go. */
  private void end(boolean podReusable) {
    if (ended) {
      return;
    }
    ended = true;
    cancelTimer();
    if (pod != null) {
      pods.release(endpoint, pod, podReusable);
      pod = null;
    }
    releaseLease();
    HttpContent part;
    while ((part = early.poll()) != null) {
      part.release();
    }
    proxy.exchangeEnded();
    connection.finished(this);
  }

  private void releaseLease() {
    if (lease != null) {
      lease.release();
      lease = null;
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
