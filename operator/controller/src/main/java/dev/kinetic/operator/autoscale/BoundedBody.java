package dev.kinetic.operator.autoscale;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body kept only up to a size: past it the exchange is cancelled and the body fails, so
 * an endless or huge answer from anything on an activator's port cannot grow the operator's heap
 * (Knative's CVE-2023-48713 was its autoscaler reading such an answer whole). The JDK's own
 * limiting handler arrives in Java 25; the images run 17.
 */
public final class BoundedBody implements BodySubscriber<byte[]> {
  private final long max;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private BoundedBody(long max) {
    this.max = max;
  }

  public static BodyHandler<byte[]> upTo(long max) {
    return info -> new BoundedBody(max);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if (bytes.size() + (long) buffer.remaining() > max) {
        subscription.cancel();
        body.completeExceptionally(new IOException("the answer is larger than " + max + " bytes"));
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    body.complete(bytes.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }
}
