package dev.kinetic.activator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinetic.routes.FunctionKey;
import dev.kinetic.routes.RouteVersion;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.spi.transport.Transport;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The admin port: {@code GET /stats} (JSON), {@code /metrics} (Prometheus), {@code /healthz} and
 * {@code /routes/<namespace>/<name>} (which version of that Function this activator routes by, the
 * operator's question before it reports the Function Ready: {@link RouteVersion}). On Netty like
 * the proxy, on an event loop of its own: a scrape over many functions takes milliseconds that must
 * not stall proxied requests, and a general-purpose HTTP server here would load as many classes as
 * the rest of the activator (docs/activator.md#memory).
 */
final class AdminServer {
  /** An admin request carries no body worth keeping; anything larger is refused (413). */
  private static final int MAX_REQUEST_BYTES = 8192;

  private final Channel listening;

  private AdminServer(Channel listening) {
    this.listening = listening;
  }

  private static final String ROUTES = "/routes/";
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The answers of the admin port, each computed when asked.
   *
   * @param versions the route table's ({@code RouteTable.version}): empty where it has none (static
   *     routes, local mode), and then every {@code /routes/..} is 404
   */
  record Pages(
      Supplier<String> stats,
      Supplier<String> metrics,
      java.util.function.Function<FunctionKey, Optional<RouteVersion>> versions) {}

  /** Listens on {@code port} (0: any free port) with the event loop of {@code group}. */
  static CompletableFuture<AdminServer> start(
      EventLoopGroup group, Transport transport, int port, Pages pages) {
    CompletableFuture<AdminServer> started = new CompletableFuture<>();
    new ServerBootstrap()
        .group(group)
        .channelFactory(transport.serverChannelFactory(false))
        .childHandler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(
                        new HttpServerCodec(),
                        new HttpObjectAggregator(MAX_REQUEST_BYTES),
                        new Pager(pages));
              }
            })
        .bind(port)
        .addListener(
            (ChannelFuture bound) -> {
              if (bound.isSuccess()) {
                started.complete(new AdminServer(bound.channel()));
              } else {
                started.completeExceptionally(bound.cause());
              }
            });
    return started;
  }

  int port() {
    return Activator.portOf(listening);
  }

  /** Stops listening; connections open to it end with the event loop. */
  CompletableFuture<Void> close() {
    return Activator.closeListener(listening);
  }

  private static final class Pager extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Pages pages;

    Pager(Pages pages) {
      this.pages = pages;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String path = new QueryStringDecoder(request.uri()).path();
      FullHttpResponse response =
          switch (path) {
            case "/stats" -> page(pages.stats().get(), "application/json");
            case "/metrics" ->
                page(pages.metrics().get(), "text/plain; version=0.0.4; charset=utf-8");
            case "/healthz" -> page("ok", "text/plain; charset=utf-8");
            default ->
                path.startsWith(ROUTES)
                    ? route(path.substring(ROUTES.length()))
                    : status(HttpResponseStatus.NOT_FOUND);
          };
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keepAlive);
      ChannelFuture written = ctx.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A reset or a malformed request (the aggregator has answered 413 or 400 where it can):
      // nothing else is pending on an admin connection.
      ctx.close();
    }

    /** {@code <namespace>/<name>}: the version of that Function this activator routes by. */
    private FullHttpResponse route(String rest) {
      String[] parts = rest.split("/", -1);
      if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        return ErrorReplies.of(
            400, "bad_path", "expected /routes/<namespace>/<name>, got /routes/" + rest, null);
      }
      FunctionKey key = new FunctionKey(parts[0], parts[1]);
      Optional<RouteVersion> version = pages.versions().apply(key);
      if (version.isEmpty()) {
        return ErrorReplies.of(
            404, "no_function", "this activator routes no Function " + key, null);
      }
      StringWriter out = new StringWriter();
      try (JsonGenerator json = JSON.createGenerator(out)) {
        json.writeStartObject();
        json.writeStringField("namespace", key.namespace());
        json.writeStringField("name", key.name());
        json.writeStringField("uid", version.get().uid());
        json.writeNumberField("generation", version.get().generation());
        json.writeArrayFieldStart("domains");
        for (String domain : version.get().domains()) {
          json.writeString(domain);
        }
        json.writeEndArray();
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return page(out.toString(), "application/json");
    }

    private static FullHttpResponse page(String body, String contentType) {
      ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, bytes);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
      HttpUtil.setContentLength(response, bytes.readableBytes());
      return response;
    }

    private static FullHttpResponse status(HttpResponseStatus status) {
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
      return response;
    }
  }
}
