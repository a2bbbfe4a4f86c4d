package dev.kinetic.activator;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * The request body as it streams to the pod, cut off once it passes the limit. Needed for chunked
 * bodies, whose size is known only at their end; a declared Content-Length is checked before.
 */
final class BoundedBody implements ReadStream<Buffer> {
  private final HttpServerRequest source;
  private final long limit;
  private long seen;
  private volatile boolean exceeded;
  private Handler<Throwable> exceptionHandler;

  BoundedBody(HttpServerRequest source, long limit) {
    this.source = source;
    this.limit = limit;
  }

  boolean exceeded() {
    return exceeded;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(
        chunk -> {
          if (exceeded) {
            return;
          }
          seen += chunk.length();
          if (seen > limit) {
            exceeded = true;
            source.pause();
            if (exceptionHandler != null) {
              exceptionHandler.handle(
                  new IllegalStateException("body larger than " + limit + " bytes"));
            }
            return;
          }
          handler.handle(chunk);
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (!exceeded) {
      source.resume();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (!exceeded) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
