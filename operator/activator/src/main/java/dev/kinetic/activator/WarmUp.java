package dev.kinetic.activator;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.spi.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request to the proxy itself before the admin port (and so readiness) opens: it names no
 * function and gets a 404, but loads and runs the request path once, so the first real request —
 * often a cold start, whose demand signal races the autoscaler's next sample — does not pay about
 * 100 ms of class loading. Its outcome does not matter; it is written as bytes on a bare channel so
 * that warming the proxy up loads no HTTP client.
 */
final class WarmUp {
  /** However the proxy answers, start-up goes on after this. */
  static final int TIMEOUT_MS = 5000;

  private static final byte[] REQUEST =
      "GET / HTTP/1.1\r\nHost: warm-up.invalid\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private WarmUp() {}

  /** Completes when the proxy on {@code port} has answered and closed, or after the timeout. */
  static CompletableFuture<Void> request(EventLoopGroup group, Transport transport, int port) {
    return request(group, transport, port, TIMEOUT_MS);
  }

  /**
   * As {@link #request(EventLoopGroup, Transport, int)}, within {@code timeoutMs}; a connection
   * still open then is closed, not left to the proxy's idle timeout.
   */
  static CompletableFuture<Void> request(
      EventLoopGroup group, Transport transport, int port, int timeoutMs) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ChannelFuture connecting =
        new Bootstrap()
            .group(group)
            .channelFactory(transport.channelFactory(false))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object answer) {
                    ReferenceCountUtil.release(answer);
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close();
                  }
                })
            .connect("127.0.0.1", port)
            .addListener(
                (ChannelFuture connected) -> {
                  if (!connected.isSuccess()) {
                    done.complete(null);
                    return;
                  }
                  connected.channel().closeFuture().addListener(closed -> done.complete(null));
                  connected.channel().writeAndFlush(Unpooled.wrappedBuffer(REQUEST));
                });
    return done.completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS)
        .whenComplete((v, e) -> connecting.channel().close());
  }
}
