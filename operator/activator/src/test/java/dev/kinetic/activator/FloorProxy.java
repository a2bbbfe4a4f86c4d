package dev.kinetic.activator;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Three floors for the activator's benchmark (benchmarks/activator/run.sh), on the activator's own
 * Netty, epoll and JVM flags, each doing less per request than any HTTP proxy can, so the
 * activator's CPU per request splits into what the transport costs, what reading HTTP at all adds,
 * and what Netty's HTTP codec and the activator's own work add on top:
 *
 * <ul>
 *   <li>{@link Mode#BYTES}: relays bytes both ways, one pod connection per client connection, no
 *       HTTP at all.
 *   <li>{@link Mode#HEADS}: the same, but it finds the end of each request head, strips the route's
 *       path prefix and appends X-Forwarded-For, X-Request-Id and a traceparent, and appends the
 *       X-Request-Id to each response head — the header bytes themselves are passed on as they
 *       came, as nginx does with those it does not change.
 *   <li>{@link Mode#CODEC}: the same work as HEADS on the messages of Netty's HTTP codecs, as the
 *       activator decodes and encodes them — without anything else the activator does (routing,
 *       slots, queues, deadlines, the header rules, statistics).
 * </ul>
 *
 * None could serve real traffic: a head must arrive in one read, there is no body framing, no
 * pipelining, no hop-by-hop rule, no limit. They are measurements, not designs.
 */
final class FloorProxy implements AutoCloseable {
  enum Mode {
    BYTES,
    HEADS,
    CODEC
  }

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

  private final EventLoopGroup group;
  private final Channel listening;

  private FloorProxy(EventLoopGroup group, Channel listening) {
    this.group = group;
    this.listening = listening;
  }

  /** {@code FloorProxy bytes|heads|codec <port> <backend port> <path prefix>}: until killed. */
  public static void main(String[] args) throws InterruptedException {
    FloorProxy proxy =
        start(
            Mode.valueOf(args[0].toUpperCase(java.util.Locale.ROOT)),
            Integer.parseInt(args[1]),
            Integer.parseInt(args[2]),
            args[3]);
    System.out.println("floor proxy (" + args[0] + ") listening on " + proxy.port());
  }

  /** Listens on {@code port} (0: any free one) with one event loop per core, as the activator. */
  static FloorProxy start(Mode mode, int port, int backendPort, String prefix)
      throws InterruptedException {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), EpollIoHandler.newFactory());
    byte[] strip = prefix.getBytes(StandardCharsets.US_ASCII);
    Channel listening =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // Reads start once the pod's connection is up.
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel client) {
                    if (mode == Mode.CODEC) {
                      client.pipeline().addLast(new HttpServerCodec());
                    }
                    client.pipeline().addLast(new ClientSide(mode, backendPort, strip));
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    return new FloorProxy(group, listening);
  }

  int port() {
    return ((InetSocketAddress) listening.localAddress()).getPort();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Where a head ends: the index just past its empty line, or -1 if it is not all here. */
  static int headEnd(ByteBuf bytes) {
    int to = bytes.writerIndex();
    for (int lf = bytes.indexOf(bytes.readerIndex(), to, (byte) '\n');
        lf >= 0;
        lf = bytes.indexOf(lf + 1, to, (byte) '\n')) {
      if (lf + 2 < to && bytes.getByte(lf + 1) == '\r' && bytes.getByte(lf + 2) == '\n') {
        return lf + 3;
      }
    }
    return -1;
  }

  private static final class ClientSide extends ChannelInboundHandlerAdapter {
    private final Mode mode;
    private final int backendPort;
    private final byte[] strip;
    private final String prefix;
    // The last request's id, for its response (no pipelining: one request at a time).
    private final byte[] requestId = new byte[32];
    private Channel pod;

    ClientSide(Mode mode, int backendPort, byte[] strip) {
      this.mode = mode;
      this.backendPort = backendPort;
      this.strip = strip;
      this.prefix = new String(strip, StandardCharsets.US_ASCII);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel client = ctx.channel();
      new Bootstrap()
          .group(client.eventLoop())
          .channel(EpollSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(
              new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel pod) {
                  if (mode == Mode.CODEC) {
                    pod.pipeline().addLast(new HttpClientCodec());
                  }
                  pod.pipeline()
                      .addLast(new PodSide(client, mode == Mode.BYTES ? null : requestId));
                }
              })
          .connect("127.0.0.1", backendPort)
          .addListener(
              (ChannelFutureListener)
                  connected -> {
                    if (connected.isSuccess()) {
                      pod = connected.channel();
                      client.config().setAutoRead(true);
                    } else {
                      client.close();
                    }
                  });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (mode == Mode.CODEC) {
        decoded(msg);
        return;
      }
      ByteBuf bytes = (ByteBuf) msg;
      int end = mode == Mode.HEADS ? headEnd(bytes) : -1;
      if (end < 0) {
        pod.writeAndFlush(bytes);
        return;
      }
      int start = bytes.readerIndex();
      int pathAt = bytes.indexOf(start, end, (byte) ' ') + 1;
      int restAt = startsWith(bytes, pathAt, strip) ? pathAt + strip.length : pathAt;
      ByteBuf head = ctx.alloc().buffer(end - start + 160);
      head.writeBytes(bytes, start, pathAt - start);
      head.writeBytes(bytes, restAt, end - 2 - restAt); // up to the empty line
      Headers.randomHex(requestId, 0, requestId.length, ThreadLocalRandom.current());
      head.writeCharSequence(
          "x-forwarded-for: 127.0.0.1\r\nx-request-id: ", StandardCharsets.US_ASCII);
      head.writeBytes(requestId);
      head.writeCharSequence("\r\ntraceparent: ", StandardCharsets.US_ASCII);
      ByteBufUtil.copy(Headers.newTraceparent(), head);
      head.writeCharSequence("\r\n\r\n", StandardCharsets.US_ASCII);
      pod.write(head);
      bytes.readerIndex(end);
      if (bytes.isReadable()) {
        pod.write(bytes);
      } else {
        bytes.release();
      }
      pod.flush();
    }

    private void decoded(Object msg) {
      if (msg instanceof HttpRequest request) {
        String uri = request.uri();
        if (uri.startsWith(prefix)) {
          request.setUri(uri.substring(prefix.length()));
        }
        String id = Headers.hex(32);
        id.getBytes(0, 32, requestId, 0);
        request
            .headers()
            .set(X_FORWARDED_FOR, "127.0.0.1")
            .set(Headers.REQUEST_ID, id)
            .set(Headers.TRACEPARENT, Headers.newTraceparent());
      }
      if (msg instanceof LastHttpContent) {
        pod.writeAndFlush(msg);
      } else {
        pod.write(msg);
      }
    }

    private static boolean startsWith(ByteBuf bytes, int at, byte[] prefix) {
      if (at + prefix.length > bytes.writerIndex()) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (bytes.getByte(at + i) != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (pod != null) {
        pod.close();
      }
    }
  }

  private static final class PodSide extends ChannelInboundHandlerAdapter {
    private final Channel client;
    private final byte[] requestId; // null: bytes only

    PodSide(Channel client, byte[] requestId) {
      this.client = client;
      this.requestId = requestId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpObject) {
        if (msg instanceof HttpResponse response) {
          response
              .headers()
              .set(Headers.REQUEST_ID, new String(requestId, StandardCharsets.US_ASCII));
        }
        if (msg instanceof LastHttpContent) {
          client.writeAndFlush(msg);
        } else {
          client.write(msg);
        }
        return;
      }
      ByteBuf bytes = (ByteBuf) msg;
      int end = requestId == null ? -1 : headEnd(bytes);
      if (end < 0) {
        client.writeAndFlush(bytes);
        return;
      }
      client.write(bytes.retainedSlice(bytes.readerIndex(), end - 2 - bytes.readerIndex()));
      ByteBuf id = ctx.alloc().buffer(52);
      id.writeCharSequence("x-request-id: ", StandardCharsets.US_ASCII);
      id.writeBytes(requestId).writeCharSequence("\r\n\r\n", StandardCharsets.US_ASCII);
      client.write(id);
      bytes.readerIndex(end);
      client.writeAndFlush(bytes);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      client.close();
    }
  }
}
