package dev.kinetic.activator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Ahead of the HTTP decoder: tells the connection that bytes arrived, which the decoded messages
 * cannot say while a request head is still incomplete (the header deadline starts at its first
 * byte) or while a body arrives in pieces the decoder holds back.
 */
final class ClientBytes extends ChannelInboundHandlerAdapter {
  private final ClientConnection connection;

  ClientBytes(ClientConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
      connection.bytesArrived();
    }
    ctx.fireChannelRead(msg);
  }
}
