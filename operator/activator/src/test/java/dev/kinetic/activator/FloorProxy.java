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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

/**
 * Four floors for the activator's benchmark (benchmarks/activator/run.sh), on the activator's own
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
 *   <li>{@link Mode#JETTY}: HEADS with each message framed by Jetty's {@link HttpParser} instead of
 *       a scan for the empty line — a library parser that validates every header (RFC 9110/9112,
 *       Content-Length with Transfer-Encoding refused) and reports where the head ends, so that the
 *       bytes can still be passed on as they came. It asks what framing by a field library costs a
 *       data plane that forwards header bytes.
 * </ul>
 *
 * None could serve real traffic: a head must arrive in one read, there is no body framing, no
 * pipelining, no hop-by-hop rule, no limit. They are measurements, not designs.
 */
final class FloorProxy implements AutoCloseable {
  enum Mode {
    BYTES,
    HEADS,
    CODEC,
    JETTY
  }

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

  private final EventLoopGroup group;
  private final Channel listening;

  private FloorProxy(EventLoopGroup group, Channel listening) {
    this.group = group;
    this.listening = listening;
  }

  /**
   * {@code FloorProxy bytes|heads|codec|jetty <port> <backend port> <path prefix>}: until killed.
   */
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
    private final HeadFinder heads;
    private Channel pod;

    ClientSide(Mode mode, int backendPort, byte[] strip) {
      this.mode = mode;
      this.heads = HeadFinder.of(mode, true);
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
                      .addLast(
                          new PodSide(
                              client,
                              mode == Mode.BYTES ? null : requestId,
                              HeadFinder.of(mode, false)));
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
      int end = heads == null ? -1 : heads.end(bytes);
      if (end == HeadFinder.BAD) {
        bytes.release();
        ctx.close();
        return;
      }
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
    private final HeadFinder heads; // null: bytes only, or Netty's codec

    PodSide(Channel client, byte[] requestId, HeadFinder heads) {
      this.client = client;
      this.requestId = requestId;
      this.heads = heads;
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
      int end = heads == null ? -1 : heads.end(bytes);
      if (end == HeadFinder.BAD) {
        bytes.release();
        ctx.close();
        return;
      }
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

  /** Where the head that starts a read ends, per connection and direction. */
  private interface HeadFinder {
    /** What {@link #end} returns for a message the parser refused: the connection closes. */
    int BAD = -2;

    /** The index just past the head's empty line; -1 if none ends here; {@link #BAD}. */
    int end(ByteBuf bytes);

    static HeadFinder of(Mode mode, boolean requests) {
      return switch (mode) {
        case HEADS -> FloorProxy::headEnd;
        case JETTY -> new JettyHeads(requests);
        case BYTES, CODEC -> null;
      };
    }
  }

  /**
   * Jetty's parser over one connection's messages in one direction: it stops at the end of each
   * head, and then reads the rest of the message (its body framed by Content-Length or chunks) so
   * that it is ready for the next. The parsed headers are not kept: the bytes are what is passed
   * on.
   */
  private static final class JettyHeads
      implements HeadFinder, HttpParser.RequestHandler, HttpParser.ResponseHandler {
    private final HttpParser parser;
    private boolean headDone;
    private boolean complete;
    private boolean bad;

    JettyHeads(boolean requests) {
      parser =
          requests
              ? new HttpParser((HttpParser.RequestHandler) this)
              : new HttpParser((HttpParser.ResponseHandler) this);
    }

    @Override
    public int end(ByteBuf bytes) {
      ByteBuffer nio = bytes.nioBuffer();
      headDone = false;
      parser.parseNext(nio);
      if (bad) {
        return BAD;
      }
      if (!headDone) {
        return -1; // a floor: a head must come in one read
      }
      int end = bytes.readerIndex() + nio.position();
      // The rest of this read: the body, or an empty buffer that lets a bodiless message end.
      for (int turn = 0; turn < 8 && !complete; turn++) {
        if (!parser.parseNext(nio) && !nio.hasRemaining()) {
          break;
        }
      }
      if (complete) {
        complete = false;
        parser.reset();
      }
      return end;
    }

    @Override
    public void startRequest(String method, String uri, HttpVersion version) {}

    @Override
    public void startResponse(HttpVersion version, int status, String reason) {}

    @Override
    public void parsedHeader(HttpField field) {}

    @Override
    public boolean headerComplete() {
      headDone = true;
      return true; // stop here: the buffer's position is the end of the head
    }

    @Override
    public boolean content(ByteBuffer content) {
      content.position(content.limit());
      return false;
    }

    @Override
    public boolean contentComplete() {
      return false;
    }

    @Override
    public boolean messageComplete() {
      complete = true;
      return true;
    }

    @Override
    public void earlyEOF() {}

    @Override
    public void badMessage(HttpException failure) {
      bad = true;
    }
  }
}
