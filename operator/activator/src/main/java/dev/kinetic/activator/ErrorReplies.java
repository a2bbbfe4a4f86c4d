package dev.kinetic.activator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The activator's own answers: JSON {@code {"error", "message", "requestId"}}, the same shape the
 * function runtime uses, so a client handles both alike.
 */
final class ErrorReplies {
  private static final JsonFactory JSON = new JsonFactory();

  private ErrorReplies() {}

  /**
   * Writes the activator's answer to a request, in the request's HTTP version. A connection not
   * kept is answered with {@code Connection: close}, its requests are read no further, and it
   * closes once the answer is out, lingering for at most {@code linger} ({@link LingeringClose}).
   */
  static void send(
      ChannelHandlerContext ctx,
      HttpVersion version,
      boolean keep,
      Duration linger,
      int status,
      String code,
      String message,
      String requestId) {
    FullHttpResponse reply = of(status, code, message, requestId);
    reply.setProtocolVersion(version);
    HttpUtil.setKeepAlive(reply, keep);
    if (keep) {
      ctx.writeAndFlush(reply);
    } else {
      ctx.channel().config().setAutoRead(false);
      LingeringClose.after(ctx.writeAndFlush(reply), linger);
    }
  }

  /** The answer, complete with its length. */
  static FullHttpResponse of(int status, String code, String message, String requestId) {
    ByteBuf body = Unpooled.buffer(128 + message.length());
    try (JsonGenerator g =
        JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(body))) {
      g.writeStartObject();
      g.writeStringField("error", code);
      g.writeStringField("message", message);
      if (requestId != null) {
        g.writeStringField("requestId", requestId);
      }
      g.writeEndObject();
    } catch (IOException e) {
      body.release();
      throw new UncheckedIOException(e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
    HttpHeaders headers = response.headers();
    headers
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (status == 503) {
      headers.set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    if (requestId != null) {
      headers.set(Headers.REQUEST_ID, requestId);
    }
    return response;
  }
}
