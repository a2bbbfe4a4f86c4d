package dev.kinetic.activator;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection after an answer the way nginx's lingering_close does. Closing a socket
 * that still has unread bytes (a client that kept sending: a trickling head, a body nobody will
 * read) makes the kernel send a reset, and a reset can destroy the answer in the client's receive
 * buffer before the client has read it. So: send FIN once the answer is out, then read and drop
 * whatever still comes until the client closes its side or {@code linger} passes, then close.
 * Bounded in time; what is read is released at once, so it holds no memory.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
  private LingeringClose() {}

  static void after(ChannelFuture written, Duration linger) {
    written.addListener(
        f -> {
          Channel channel = written.channel();
          if (!f.isSuccess()
              || linger.isZero()
              || !channel.isActive()
              || !(channel instanceof DuplexChannel duplex)) {
            channel.close();
            return;
          }
          // First in the pipeline: nothing read from now on reaches the HTTP decoder.
          channel.pipeline().addFirst(new LingeringClose());
          Runnable close = channel::close;
          var deadline =
              channel.eventLoop().schedule(close, linger.toMillis(), TimeUnit.MILLISECONDS);
          channel.closeFuture().addListener(c -> deadline.cancel(false));
          duplex.shutdownOutput();
          channel.config().setAutoRead(true);
        });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      ctx.close(); // the client is done too
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // typically the client's reset: nothing left to protect
  }
}
