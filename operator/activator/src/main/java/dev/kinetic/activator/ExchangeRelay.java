package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The relaying half of an exchange: the request's body held until a pod is chosen, then the request
 * written to the pod and the answer streamed back, with back-pressure both ways (a side that cannot
 * take more stops the other's reads), HTTP/1.0 and HEAD framing, and the function's timeout as the
 * longest silence of the pod; and, when the pod accepts a client's WebSocket upgrade, the bytes of
 * the new protocol both ways until either side closes. Runs on the exchange's event loop; knows
 * nothing of slots and queues.
 */
final class ExchangeRelay {
  private final Exchange exchange;
  private final ClientConnection connection;
  private final ChannelHandlerContext client;
  private final Proxy proxy;
  private final PodConnections pods;
  private final HttpRequest request;
  private final Target target;
  private final Duration timeout;
  private final String requestId;
  private final boolean chunked;
  private final boolean expectContinue;
  private final boolean head;
  // Whether the client wants its connection kept after this exchange (HTTP/1.1 unless it says
  // close, HTTP/1.0 only when it says keep-alive). Read before its headers are rewritten.
  private boolean clientKeepAlive;
  private final HttpVersion clientVersion;
  // The protocol the client asks to switch to (WebSocket), or null. Read before the rewrite.
  private final String upgrade;
  // The pod switched protocols: both connections carry its bytes as they come, no longer HTTP.
  private boolean tunnel;
  // Body parts read before a pod was chosen. Reading pauses while a body waits, so this holds at
  // most what one read had already decoded.
  private final ArrayDeque<HttpContent> early = new ArrayDeque<>();
  private boolean requestComplete;
  // The request's headers were rewritten for the pod (once: a resend writes them as they are).
  private boolean rewritten;
  private long bodyBytes;
  private Endpoint endpoint;
  private Channel pod;
  private boolean podKeepAlive;
  private boolean informational;
  private boolean closeClient;
  private long lastActivity;
  // The client left while the pod worked on its whole request: the answer is read and dropped.
  private boolean dropping;

  ExchangeRelay(
      Exchange exchange,
      ClientConnection connection,
      Proxy proxy,
      PodConnections pods,
      HttpRequest request,
      Target target,
      Duration timeout,
      String requestId) {
    this.exchange = exchange;
    this.connection = connection;
    this.client = connection.context();
    this.proxy = proxy;
    this.pods = pods;
    this.request = request;
    this.target = target;
    this.timeout = timeout;
    this.requestId = requestId;
    this.chunked = HttpUtil.isTransferEncodingChunked(request);
    this.expectContinue = HttpUtil.is100ContinueExpected(request);
    this.head = request.method().equals(HttpMethod.HEAD);
    this.clientKeepAlive = HttpUtil.isKeepAlive(request);
    this.clientVersion = request.protocolVersion();
    this.upgrade = Headers.webSocketUpgrade(request);
    if (chunked || HttpUtil.getContentLength(request, 0L) > 0) {
      // Until a pod is chosen: the body then streams straight to it.
      client.channel().config().setAutoRead(false);
    }
  }

  boolean requestComplete() {
    return requestComplete;
  }

  /**
   * Whether the request can be sent again as it is: complete, without a body (nothing of it is kept
   * once sent) and idempotent — a method that is (RFC 9110 §9.2.2), or one carrying an
   * Idempotency-Key.
   */
  boolean replayable() {
    HttpMethod method = request.method();
    boolean idempotent =
        method.equals(HttpMethod.GET)
            || method.equals(HttpMethod.HEAD)
            || method.equals(HttpMethod.OPTIONS)
            || method.equals(HttpMethod.TRACE)
            || method.equals(HttpMethod.PUT)
            || method.equals(HttpMethod.DELETE)
            || request.headers().contains(Headers.IDEMPOTENCY_KEY);
    return idempotent && requestComplete && bodyBytes == 0 && !chunked && !expectContinue;
  }

  HttpVersion clientVersion() {
    return clientVersion;
  }

  /** Whether the client's connection should be read: for the body, or to notice it closing. */
  boolean wantsClientReads() {
    return requestComplete || (pod != null && pod.isWritable());
  }

  /** Whether the client's connection goes on after this answer. */
  boolean keepClient() {
    return clientKeepAlive && requestComplete && !connection.closing();
  }

  /**
   * Writes the request, and what of its body has arrived, to the pod's connection; from now on the
   * pod may be silent for at most the function's timeout.
   */
  void send(Endpoint to, Channel channel) {
    endpoint = to;
    pod = channel;
    PodConnections.attach(pod, exchange);
    if (expectContinue) {
      // The activator answers Expect itself, once a pod is ready for the body.
      client.writeAndFlush(
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
    }
    boolean again = rewritten;
    if (!rewritten) {
      rewritten = true;
      Headers.toPod(request.headers(), connection.clientAddress(), endpoint, requestId);
      if (upgrade != null) {
        Headers.switchTo(request.headers(), upgrade);
      }
      request.setUri(target.forwardPath());
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
      if (chunked) {
        HttpUtil.setTransferEncodingChunked(request, true);
      }
    }
    pod.write(request);
    HttpContent part;
    while ((part = early.poll()) != null) {
      pod.write(part);
    }
    if (again) {
      // Sent once more (replayable: complete and without a body): the request's end went out with
      // the first send, and without it this connection's encoder would wait for it and refuse
      // the next request written on the connection.
      pod.write(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    pod.flush();
    lastActivity = proxy.ticker.getAsLong();
    PodConnections.watch(pod, timeout.toNanos());
    if (!requestComplete && pod.isWritable()) {
      client.channel().config().setAutoRead(true);
    }
  }

  /** A part of the request body. */
  void fromClient(HttpContent part) {
    if (part.decoderResult().isFailure()) {
      part.release();
      exchange.fail(
          400, "bad_request", "malformed body: " + part.decoderResult().cause().getMessage());
      return;
    }
    bodyBytes += part.content().readableBytes();
    if (bodyBytes > proxy.settings.maxBodyBytes()) {
      // Known only now for a chunked body. The pod's connection closes mid-body: a cut-off body
      // must not look complete to the function.
      part.release();
      exchange.fail(
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
    lastActivity = proxy.ticker.getAsLong();
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
    if ((tunnel || !requestComplete) && pod.isWritable()) {
      client.channel().config().setAutoRead(true);
    }
  }

  /**
   * The client left before the pod's answer began. A pod that has the whole request is still
   * working on it whether or not it notices the connection closing (the JDK's server does not, nor
   * does a function busy computing), so the exchange — and its slot — goes on until the pod's
   * answer ends, read and dropped, and the pod is kept to its hard limit. The pod gets no more time
   * than if the client had stayed: the function's timeout since it last heard from the activator.
   * False when nothing is under way at the pod: no pod yet, a body cut short (the pod sees it end
   * early and never calls the function), or an upgrade.
   */
  boolean dropTheAnswer() {
    if (pod == null || !requestComplete || upgrade != null) {
      return false;
    }
    dropping = true;
    pod.config().setAutoRead(true); // no client to hold back for
    return true;
  }

  boolean dropping() {
    return dropping;
  }

  /** A part of the pod's answer: an HTTP message, or once the protocol switched, its bytes. */
  void fromPod(Object received) {
    if (dropping) {
      // Not counted as activity: dropping gives the pod no extension of its timeout.
      drop((HttpObject) received);
      return;
    }
    lastActivity = proxy.ticker.getAsLong();
    if (tunnel) {
      fromPodSwitched(received);
      return;
    }
    HttpObject msg = (HttpObject) received;
    if (msg.decoderResult().isFailure()) {
      // A response head over the limit, or broken framing: nothing more from this pod is usable.
      ReferenceCountUtil.release(msg);
      exchange.fail(
          502, "pod_error", "the pod's answer is malformed: " + msg.decoderResult().cause());
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (upgrade != null && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
        switchProtocols(response);
        return;
      }
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        // 100 Continue was answered here already, and no other upgrade is forwarded; the client
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
        exchange.answered(podKeepAlive && requestComplete);
        return;
      }
      client.write(part);
      if (!client.channel().isWritable()) {
        pod.config().setAutoRead(false); // until the client has taken what it has
      }
    }
  }

  /** A part of an answer nobody waits for; its end ends the exchange and keeps the connection. */
  private void drop(HttpObject msg) {
    boolean failed = msg.decoderResult().isFailure();
    boolean last = msg instanceof LastHttpContent;
    if (msg instanceof HttpResponse response) {
      informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      podKeepAlive = HttpUtil.isKeepAlive(response);
    } else if (last && informational) {
      informational = false; // the end of a 1xx: the final answer is still to come
      last = false;
    }
    ReferenceCountUtil.release(msg);
    if (failed) {
      exchange.fail(502, "pod_error", "the pod's answer is malformed");
    } else if (last) {
      exchange.answered(podKeepAlive);
    }
  }

  /**
   * The pod accepted the client's WebSocket upgrade: its 101 goes to the client, then both
   * connections leave HTTP — their codecs are removed, and what either had read beyond the
   * handshake passes on as bytes — and carry the new protocol as it comes, with back-pressure both
   * ways, until either side closes or stays silent for the function's timeout. The slot is held all
   * that time: an open WebSocket is a request in progress, for the function's hard limit and for
   * the autoscaler, as in Knative.
   */
  private void switchProtocols(HttpResponse response) {
    if (!connection.nothingPipelined()) {
      // The client sent more before the pod's answer (RFC 6455 §4.1 says it must wait), and the
      // HTTP decoder has already taken it apart: it cannot be passed on as the bytes it was.
      ReferenceCountUtil.release(response);
      clientKeepAlive = false;
      exchange.fail(400, "bad_request", "data sent before the protocol switched");
      return;
    }
    String protocol = response.headers().get(HttpHeaderNames.UPGRADE);
    Headers.toClient(response.headers(), requestId);
    Headers.switchTo(response.headers(), protocol == null ? upgrade : protocol);
    tunnel = true;
    exchange.answerBegins(response.status().code());
    client.write(response);
    client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    client.pipeline().remove(HttpServerCodec.class);
    pod.pipeline().remove(HttpClientCodec.class);
  }

  private void fromPodSwitched(Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ReferenceCountUtil.release(msg); // the 101's empty end, decoded before the codec left
      return;
    }
    client.write(bytes);
    if (!client.channel().isWritable()) {
      pod.config().setAutoRead(false); // until the client has taken what it has
    }
  }

  /** Bytes from the client once the protocol switched. */
  void fromClientSwitched(ByteBuf bytes) {
    if (pod == null) {
      bytes.release();
      return;
    }
    lastActivity = proxy.ticker.getAsLong();
    pod.write(bytes);
    if (!pod.isWritable()) {
      client.channel().config().setAutoRead(false); // until the pod has taken what it has
    }
  }

  /** Whether the pod switched protocols: the exchange ends when either connection closes. */
  boolean switched() {
    return tunnel;
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
    exchange.answerBegins(response.status().code());
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

  /** The pod's connection closed under the exchange: nothing to close or give back. */
  void podGone() {
    pod = null;
  }

  /** The pod's connection is of no more use to this exchange (it broke or was abandoned). */
  void abandonPod() {
    if (pod != null) {
      PodConnections.abandon(pod);
      pod = null;
    }
  }

  /** At the end: the pod's connection back to its idle stack or closed, early parts freed. */
  void finish(boolean podReusable) {
    if (tunnel) {
      // Nothing after a switched protocol is HTTP: what is written goes out, then the client's
      // connection closes too.
      client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    if (pod != null) {
      pods.release(endpoint, pod, podReusable);
      pod = null;
    }
    HttpContent part;
    while ((part = early.poll()) != null) {
      part.release();
    }
  }

  /** How long the pod may still stay silent: negative or zero once it has been for the timeout. */
  long idleLeft() {
    return timeout.toNanos() - (proxy.ticker.getAsLong() - lastActivity);
  }

  /** The pod stayed silent for the function's timeout. */
  void timedOut() {
    exchange.fail(
        504, "timeout", "the function did not answer within " + timeout.toMillis() + " ms");
  }
}
