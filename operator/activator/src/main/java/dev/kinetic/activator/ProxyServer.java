package dev.kinetic.activator;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.spi.transport.Transport;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The proxy's sockets: its own event loops on the activator's transport (io_uring, epoll or NIO),
 * the listening port, and per event loop the connections to pods. The data plane runs on Netty's
 * pipeline directly — HTTP codecs on both sides and {@link ClientConnection} / {@link Exchange}
 * between them — because the per-request objects, futures and connection pool of a general-purpose
 * HTTP server and client cost about as much CPU as the codecs themselves (docs/benchmarks.md).
 */
final class ProxyServer {
  /** The answer to a connection over KINETIC_ACTIVATOR_MAX_CONNECTIONS, written as it is. */
  private static final byte[] TOO_MANY_CONNECTIONS = tooManyConnections();

  /** The largest part of a body passed on as one piece. */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  /** The largest response head a pod may send. */
  private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

  private final EventLoopGroup group;
  private final Proxy proxy;
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  // Client connections admitted and not yet closed: what the connection cap counts.
  private final AtomicInteger open = new AtomicInteger();
  // Completed to end a drain before its deadline (a second Ctrl-C in local mode).
  private final CompletableFuture<Void> now = new CompletableFuture<>();
  private Channel listening;
  private Channel listeningOutside; // null without a public port

  private ProxyServer(EventLoopGroup group, Proxy proxy) {
    this.group = group;
    this.proxy = proxy;
  }

  /**
   * Starts listening on the settings' port (0: any free port) and on its public port if it has one,
   * on event loops of the given transport that end with {@link #drain()} or {@link #stop()}.
   */
  static CompletableFuture<ProxyServer> start(Transport transport, Proxy proxy) {
    ActivatorSettings settings = proxy.settings;
    EventLoopGroup group =
        transport.eventLoopGroup(
            Transport.IO_EVENT_LOOP_GROUP,
            settings.eventLoops(),
            new DefaultThreadFactory("kinetic-proxy", true),
            0);
    ProxyServer server = new ProxyServer(group, proxy);
    Map<EventExecutor, PodConnections> pods = new IdentityHashMap<>();
    for (EventExecutor loop : group) {
      Bootstrap bootstrap =
          new Bootstrap()
              .group((EventLoop) loop)
              .channelFactory(transport.channelFactory(false))
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.SO_KEEPALIVE, true)
              .option(
                  ChannelOption.CONNECT_TIMEOUT_MILLIS,
                  (int) settings.pods().connectTimeout().toMillis());
      pods.put(loop, new PodConnections(bootstrap, MAX_RESPONSE_HEADER_BYTES, Clock.systemUTC()));
    }
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxHeaderSize(settings.maxHeaderBytes())
            .setMaxInitialLineLength(8192)
            .setMaxChunkSize(MAX_CHUNK_BYTES)
            // Content-Length with Transfer-Encoding is refused, not resolved (request smuggling).
            .setUseRfc9112TransferEncoding(true);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channelFactory(transport.serverChannelFactory(false))
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true);
    CompletableFuture<Channel> inside =
        bind(bootstrap.clone().childHandler(server.clients(pods, decoder, false)), settings.port());
    CompletableFuture<Channel> outside =
        settings.publicPort() < 0
            ? CompletableFuture.completedFuture(null)
            : bind(
                bootstrap.clone().childHandler(server.clients(pods, decoder, true)),
                settings.publicPort());
    return inside
        .thenCombine(
            outside,
            (in, out) -> {
              server.listening = in;
              server.listeningOutside = out;
              return server;
            })
        .whenComplete(
            (started, failed) -> {
              if (failed != null) {
                // One port may be bound though the other failed: its socket is closed first.
                CompletableFuture.allOf(
                        inside.thenCompose(Activator::closeListener).exceptionally(e -> null),
                        outside.thenCompose(Activator::closeListener).exceptionally(e -> null))
                    .thenCompose(v -> Activator.shutDown(group));
              }
            });
  }

  /**
   * What sets up each client connection, inside the cluster or from outside it ({@code outside}:
   * the public port, where ClusterLocal functions do not exist).
   */
  private ChannelInitializer<Channel> clients(
      Map<EventExecutor, PodConnections> pods, HttpDecoderConfig decoder, boolean outside) {
    ActivatorSettings settings = proxy.settings;
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        // Counted with one atomic step, not the group's size: two event loops setting up a
        // connection each at the same moment must not both find the last place free.
        if (open.incrementAndGet() > settings.clients().maxConnections()) {
          open.decrementAndGet();
          refuse(ch);
          return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        clients.add(ch);
        ClientConnection connection =
            new ClientConnection(proxy, pods.get(ch.eventLoop()), outside);
        ch.pipeline()
            .addLast(new ClientBytes(connection), new HttpServerCodec(decoder), connection);
      }
    };
  }

  private static CompletableFuture<Channel> bind(ServerBootstrap bootstrap, int port) {
    CompletableFuture<Channel> bound = new CompletableFuture<>();
    bootstrap
        .bind(port)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                bound.complete(f.channel());
              } else {
                bound.completeExceptionally(f.cause());
              }
            });
    return bound;
  }

  /** Ends a drain under way at once: what is left is answered 503 shutting_down. */
  void hurry() {
    now.complete(null);
  }

  /**
   * After the drain: every connection still open answers what it holds with 503 {@code
   * shutting_down} on its own event loop; completes once each has done so, so no request ends
   * without an answer when the event loops stop.
   */
  private CompletableFuture<Void> shutDownWhatIsLeft() {
    CompletableFuture<Void> allClosed = allClosed();
    onEachConnection(ClientConnection::shutDown);
    return allClosed.completeOnTimeout(null, 2, TimeUnit.SECONDS);
  }

  /**
   * Closes each connection with nothing in hand; completes when every connection is closed, those
   * still serving a request once they have answered it.
   */
  private CompletableFuture<Void> closeIdleConnections() {
    CompletableFuture<Void> allClosed = allClosed();
    onEachConnection(ClientConnection::closeIfIdle);
    return allClosed;
  }

  /** Completes once every client connection open now has closed. */
  private CompletableFuture<Void> allClosed() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    clients.newCloseFuture().addListener(f -> closed.complete(null));
    return closed;
  }

  /** Runs the action on each open client connection, on that connection's own event loop. */
  private void onEachConnection(Consumer<ClientConnection> action) {
    for (Channel client : clients) {
      client
          .eventLoop()
          .execute(
              () -> {
                ClientConnection connection = client.pipeline().get(ClientConnection.class);
                if (connection != null) {
                  action.accept(connection);
                }
              });
    }
  }

  int port() {
    return Activator.portOf(listening);
  }

  /** The public port, or -1 without one. */
  int publicPort() {
    return listeningOutside == null ? -1 : Activator.portOf(listeningOutside);
  }

  /**
   * Stops accepting, lets exchanges in flight and in queues finish (each within its own deadline)
   * for at most the drain timeout, then closes every connection. Once none is left, connections
   * with nothing in hand close, and a request that arrived meanwhile on a kept-alive one is still
   * served: under steady load clients keep reusing such connections until they close, and ending
   * the drain at the first idle moment answered those requests 503 (seen on the real node during a
   * helm upgrade).
   */
  CompletableFuture<Void> drain() {
    CompletableFuture<Void> deadline =
        new CompletableFuture<Void>()
            .completeOnTimeout(
                null, proxy.settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<Void> idle = proxy.drain();
    return closeListeners()
        .thenRun(() -> onEachConnection(ClientConnection::drain))
        .thenCompose(v -> idle.copy().applyToEither(now, x -> x).applyToEither(deadline, x -> x))
        .thenCompose(
            v -> closeIdleConnections().applyToEither(now, x -> x).applyToEither(deadline, x -> x))
        .thenCompose(v -> shutDownWhatIsLeft())
        .thenCompose(v -> stop());
  }

  /**
   * Closes the listening sockets, then ends the event loops, and with them every connection,
   * without waiting for any exchange.
   */
  CompletableFuture<Void> stop() {
    // The access log's writer stops once it has written what the last exchanges left.
    return closeListeners()
        .thenCompose(v -> Activator.shutDown(group))
        .whenComplete((v, e) -> proxy.accessLog.close());
  }

  private CompletableFuture<Void> closeListeners() {
    return CompletableFuture.allOf(
        Activator.closeListener(listening), Activator.closeListener(listeningOutside));
  }

  /**
   * Over the cap: a clear answer at once, never a connection left hanging. The answer is followed
   * by a half-close, not a close: closing with the client's request unread would send a reset that
   * can destroy the answer before the client reads it. What the client still sends is discarded,
   * and the connection is closed after a second whatever the client does.
   */
  private static void refuse(Channel ch) {
    ch.pipeline()
        .addLast(
            new io.netty.channel.ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
              }
            });
    ch.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS))
        .addListener(
            (ChannelFuture written) -> {
              if (ch instanceof io.netty.channel.socket.DuplexChannel duplex) {
                duplex.shutdownOutput();
                ch.eventLoop().schedule(() -> ch.close(), 1, TimeUnit.SECONDS);
              } else {
                ch.close();
              }
            });
  }

  private static byte[] tooManyConnections() {
    String body =
        "{\"error\":\"too_many_connections\",\"message\":\"this activator holds its maximum"
            + " of client connections; retry shortly\"}";
    String response =
        "HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: application/json\r\n"
            + "Retry-After: 1\r\n"
            + "Connection: close\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\n\r\n"
            + body;
    return response.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
