package dev.kinetic.operator.autoscale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One GET to each activator, all at once, for the two that ask every activator: the autoscaler
 * ({@code /stats}) and the route probe ({@code /routes}). Bounded: each reply is complete within
 * the timeout whatever the activator does (the request's own timeout covers the head, this the body
 * too; what is still on its way then is cancelled), and a body is read up to a size.
 */
public final class ActivatorCalls {
  private ActivatorCalls() {}

  /** One activator's answer, or why there is none. */
  public record Reply(URI uri, HttpResponse<byte[]> response, Throwable failure) {
    /** No whole answer within the timeout. */
    public boolean timedOut() {
      return failure instanceof TimeoutException || failure instanceof HttpTimeoutException;
    }
  }

  /** The replies, in the order of {@code uris}. */
  public static List<CompletableFuture<Reply>> get(
      HttpClient http, List<URI> uris, Duration timeout, long maxBytes) {
    return uris.stream().map(uri -> get(http, uri, timeout, maxBytes)).toList();
  }

  private static CompletableFuture<Reply> get(
      HttpClient http, URI uri, Duration timeout, long maxBytes) {
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(
            HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), BoundedBody.upTo(maxBytes));
    return pending
        .handle((response, failure) -> new Reply(uri, response, unwrapped(failure)))
        .completeOnTimeout(
            new Reply(uri, null, new TimeoutException()), timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((reply, ignored) -> pending.cancel(true));
  }

  private static Throwable unwrapped(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
