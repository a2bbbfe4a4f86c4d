package dev.kinetic.activator;

import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.Route;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: checks each request's framing and names, finds its function, and hands it
 * to an {@link Exchange}. One exchange at a time; a pipelined next request waits, with reading
 * paused, until the current one has been answered.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

  private final Proxy proxy;
  private final PodConnections pods;
  // Came in on the public port: ClusterLocal functions do not exist for it.
  private final boolean outside;
  private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private String clientAddress;
  private Exchange current;
  private boolean closing;
  private ClientWait waiting = ClientWait.NOTHING;
  private long waitingSince;
  private ScheduledFuture<?> deadline;

  /** What the connection waits for from its client, and so which deadline it is under. */
  enum ClientWait {
    /** Between requests on a kept-alive connection: the idle timeout. */
    REQUEST,
    /** A request head has begun: the header timeout, from its first byte. */
    HEAD,
    /** The rest of a request's body: the body timeout, from its last piece. */
    BODY,
    /** Nothing: the request is whole, the pod and the function's own timeout have it. */
    NOTHING
  }

  ClientConnection(Proxy proxy, PodConnections pods, boolean outside) {
    this.proxy = proxy;
    this.pods = pods;
    this.outside = outside;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    clientAddress =
        ctx.channel().remoteAddress() instanceof InetSocketAddress address
            ? address.getAddress().getHostAddress()
            : "unknown";
    await(ClientWait.REQUEST);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      // Only once a WebSocket upgrade has removed the HTTP codec (ExchangeRelay): its bytes.
      if (current != null) {
        current.fromClientSwitched(bytes);
      } else {
        bytes.release(); // after the end of the switched protocol, while the connection closes
      }
      return;
    }
    if (current != null) {
      if (current.requestComplete()) {
        // Pipelined: answered in order, after the current exchange. Reading pauses meanwhile, so
        // this holds at most what one read decoded.
        pipelined.add(msg);
        ctx.channel().config().setAutoRead(false);
      } else {
        current.fromClient((HttpContent) msg);
        awaitRestOf(current);
      }
    } else if (msg instanceof HttpRequest request) {
      request(request);
      if (current != null) {
        awaitRestOf(current);
      } else if (ctx.channel().isActive()) {
        await(ClientWait.REQUEST);
      }
    } else {
      // The rest of a request already answered (its connection closes after the answer).
      ReferenceCountUtil.release(msg);
    }
  }

  private void request(HttpRequest request) {
    HttpHeaders headers = request.headers();
    String requestId = Headers.requestId(headers);
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpHeaderException) {
        reject(request, 431, "headers_too_large", "the request headers are too large", requestId);
      } else if (cause instanceof TooLongHttpLineException) {
        reject(request, 414, "uri_too_long", "the request line is too long", requestId);
      } else if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)
          && headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
        reject(request, 400, "bad_framing", "Content-Length and Transfer-Encoding together", null);
      } else {
        reject(request, 400, "bad_request", "malformed request: " + cause.getMessage(), requestId);
      }
      return;
    }
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)
        && headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      // RFC 9112 §6.1: a message with both may be an attempt to smuggle a second request. The
      // decoder refuses it for HTTP/1.1; this covers HTTP/1.0 as well.
      reject(
          request, 400, "bad_framing", "Content-Length and Transfer-Encoding together", requestId);
      return;
    }
    if (headers.getAll(HttpHeaderNames.HOST).size() > 1) {
      // RFC 9112 §3.2: the request's target would be ambiguous (and the pod would see both).
      reject(request, 400, "bad_request", "more than one Host header", requestId);
      return;
    }
    String host = headers.get(HttpHeaderNames.HOST);
    if (host == null && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      reject(request, 400, "no_host", "HTTP/1.0 requests need a Host header here", requestId);
      return;
    }
    Optional<Target> target;
    try {
      Optional<AbsoluteForm> absolute = AbsoluteForm.of(request.uri());
      if (absolute.isPresent() && host != null) { // (HTTP/1.1 without a Host is refused below)
        host = absolute.get().authority();
        headers.set(HttpHeaderNames.HOST, host);
        request.setUri(absolute.get().originForm());
      }
      target =
          Target.of(
              hostWithoutPort(host),
              request.uri(),
              proxy.settings.hosts(),
              key -> visible(key).isPresent(),
              proxy.routes::byDomain);
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
              + proxy.settings.hosts().domain()
              + ", <function>.<namespace>.svc or <function>.<namespace>, by one of its"
              + " spec.domains, or by path /<namespace>/<function>/",
          requestId);
      return;
    }
    Optional<Route> route = visible(target.get().key());
    if (route.isEmpty()) {
      // A ClusterLocal function called from outside is answered as a name no Function has, so
      // that outside the cluster nobody learns which exist.
      reject(request, 404, "no_function", "no function " + target.get().key(), requestId);
      return;
    }
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > proxy.settings.maxBodyBytes()) {
      reject(
          request,
          413,
          "body_too_large",
          "the body is larger than " + proxy.settings.maxBodyBytes() + " bytes",
          requestId);
      return;
    }
    current = new Exchange(this, proxy, pods, request, target.get(), route.get(), requestId);
    current.admit();
  }

  /** The function's route, unless it is ClusterLocal and this connection came from outside. */
  private Optional<Route> visible(FunctionKey key) {
    Optional<Route> route = proxy.routes.route(key);
    return outside ? route.filter(r -> !r.clusterLocal()) : route;
  }

  /**
   * Answers a request that never reaches a pod. A request with a body is answered with {@code
   * Connection: close}: the body is not worth reading, and after a framing error it cannot be
   * trusted to end where it claims to. The connection also closes when the client asked for that.
   */
  private void reject(
      HttpRequest request, int status, String code, String message, String requestId) {
    boolean bodiless =
        !request.decoderResult().isFailure()
            && HttpUtil.getContentLength(request, 0L) == 0
            && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
    boolean keep = bodiless && HttpUtil.isKeepAlive(request) && !closing();
    // A request line that could not be read has no version: Netty's stand-in says HTTP/1.0.
    HttpVersion version =
        request.decoderResult().isFailure() ? HttpVersion.HTTP_1_1 : request.protocolVersion();
    ReferenceCountUtil.release(request);
    ErrorReplies.send(
        ctx, version, keep, proxy.settings.clients().linger(), status, code, message, requestId);
  }

  private static String hostWithoutPort(String host) {
    if (host == null) {
      return null;
    }
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    String name = colon < 0 ? host : host.substring(0, colon);
    // A fully qualified name's trailing dot (hello.team-a.fn.local.) names the same host.
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  ChannelHandlerContext context() {
    return ctx;
  }

  String clientAddress() {
    return clientAddress;
  }

  /** Whether responses should end the connection: the activator is draining. */
  boolean closing() {
    return closing || proxy.draining();
  }

  /** Whether no request came after the current one (a protocol switch needs that). */
  boolean nothingPipelined() {
    return pipelined.isEmpty();
  }

  /** The exchange has been answered: the next request, if one was pipelined, goes on. */
  void finished(Exchange exchange) {
    if (current != exchange) {
      return;
    }
    current = null;
    await(ClientWait.REQUEST);
    while (!pipelined.isEmpty() && (current == null || !current.requestComplete())) {
      channelRead(ctx, pipelined.poll());
    }
    if (pipelined.isEmpty() && (current == null || current.wantsClientReads())) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Bytes arrived: a head begins (its deadline starts) or a stalled body moves again. */
  void bytesArrived() {
    if (waiting == ClientWait.REQUEST) {
      await(ClientWait.HEAD);
    } else if (waiting == ClientWait.BODY) {
      await(ClientWait.BODY);
    }
  }

  private void awaitRestOf(Exchange exchange) {
    if (current == exchange) {
      await(exchange.requestComplete() ? ClientWait.NOTHING : ClientWait.BODY);
    }
  }

  /**
   * Now waiting for {@code next}, from now. Per request this is only two field writes: one timer
   * per connection checks the deadline lazily and re-arms itself for what is left of it, so the hot
   * path schedules and cancels nothing. The timer never waits longer than the shortest of the
   * limits, so a pending one always fires before any deadline a later state sets.
   */
  private void await(ClientWait next) {
    waiting = next;
    waitingSince = proxy.ticker.getAsLong();
    if (deadline == null && next != ClientWait.NOTHING && ctx.channel().isActive()) {
      arm(limit(next));
    }
  }

  private void arm(long nanos) {
    ClientLimits limits = proxy.settings.clients();
    long shortest =
        Math.min(
            limits.header().toNanos(), Math.min(limits.idle().toNanos(), limits.body().toNanos()));
    deadline =
        ctx.executor()
            .schedule(this::checkDeadline, Math.min(nanos, shortest), TimeUnit.NANOSECONDS);
  }

  private long limit(ClientWait wait) {
    ClientLimits limits = proxy.settings.clients();
    return switch (wait) {
      case REQUEST -> limits.idle().toNanos();
      case HEAD -> limits.header().toNanos();
      case BODY -> limits.body().toNanos();
      case NOTHING -> Long.MAX_VALUE;
    };
  }

  private void checkDeadline() {
    deadline = null;
    if (waiting == ClientWait.NOTHING || !ctx.channel().isActive()) {
      return;
    }
    long left = limit(waiting) - (proxy.ticker.getAsLong() - waitingSince);
    if (left > 0) {
      arm(left);
      return;
    }
    ClientWait expired = waiting;
    waiting = ClientWait.NOTHING;
    ClientLimits limits = proxy.settings.clients();
    switch (expired) {
      case REQUEST -> ctx.close();
      case HEAD ->
          ErrorReplies.send(
              ctx,
              HttpVersion.HTTP_1_1,
              false,
              limits.linger(),
              408,
              "header_timeout",
              "the request head was not complete within " + limits.header().toMillis() + " ms",
              null);
      case BODY -> {
        if (current != null) {
          current.clientStalled(limits.body());
        }
      }
      case NOTHING -> {}
    }
  }

  /**
   * The drain's deadline passed: what this connection still waits for (queued, or with a pod) is
   * answered 503 {@code shutting_down} — or cut, if its answer had begun — and it closes.
   */
  void shutDown() {
    closing = true;
    if (current != null) {
      current.shutDown();
    }
    ctx.close();
  }

  /**
   * The drain's exchanges are done ({@link #drain} has marked this connection closing): a
   * connection with nothing in hand closes now. One whose request arrived since (a client that
   * reused it) keeps it and closes after its answer; only the drain's deadline answers that one
   * 503. A request that crosses this close on the wire is never read: clients resend an idempotent
   * request on a kept-alive connection closed before any answer.
   */
  void closeIfIdle() {
    if (current == null && pipelined.isEmpty()) {
      ctx.close();
    }
  }

  /**
   * Drain: a busy connection closes after its answer. An idle one stays open while the drain's
   * exchanges finish, so a request already on its way on it is served (with {@code Connection:
   * close}) rather than lost to a close it crossed on the wire; then {@link #closeIfIdle} closes
   * it.
   */
  void drain() {
    closing = true;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (current != null) {
      current.clientReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.clientWritabilityChanged();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    waiting = ClientWait.NOTHING;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    Object msg;
    while ((msg = pipelined.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    if (current != null) {
      Exchange gone = current;
      current = null;
      gone.clientGone();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.FINE, cause, () -> "client connection failed: " + ctx.channel());
    // A reset by the client, mostly: its exchange ends when the channel goes inactive.
    ctx.close();
  }
}
