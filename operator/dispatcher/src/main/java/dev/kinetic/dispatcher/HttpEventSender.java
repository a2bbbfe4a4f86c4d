package dev.kinetic.dispatcher;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends events in CloudEvents' HTTP binary mode to {@code <activator>/<namespace>/<function>/}:
 * through the activator, so an event to a function at zero waits in its bounded queue while a pod
 * starts, and never exceeds the function's hard concurrency. The answer's body is discarded; only
 * its status and Retry-After count.
 */
public final class HttpEventSender implements EventSender {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient client;
  private final URI activator;

  /**
   * @param activator the activator's base address, e.g. http://kinetic-activator.kinetic-system
   */
  public HttpEventSender(URI activator) {
    this.activator = activator;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  @Override
  public CompletableFuture<DeliveryPolicy.Outcome> send(
      String namespace, String function, CloudEvent event, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(activator.resolve("/" + namespace + "/" + function + "/"))
            .timeout(timeout);
    byte[][] body = {null};
    HttpMessageFactory.createWriter(request::header, bytes -> body[0] = bytes).writeBinary(event);
    // An event without data is a POST without a body (the writer hands over null then).
    request.POST(
        body[0] == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body[0]));
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .<DeliveryPolicy.Outcome>thenApply(
            response ->
                new DeliveryPolicy.Outcome.Answered(
                    response.statusCode(),
                    retryAfter(response.headers().firstValue("Retry-After"))))
        .exceptionally(HttpEventSender::noAnswer);
  }

  private static DeliveryPolicy.Outcome noAnswer(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof HttpTimeoutException) {
      return new DeliveryPolicy.Outcome.NoAnswer("no answer within the attempt's timeout");
    }
    if (cause instanceof java.net.ConnectException) {
      return new DeliveryPolicy.Outcome.NoAnswer("could not connect to the activator");
    }
    return new DeliveryPolicy.Outcome.NoAnswer(
        "no answer" + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
  }

  /** Retry-After in seconds; the HTTP-date form is rare from a proxy and is ignored. */
  static OptionalLong retryAfter(Optional<String> header) {
    try {
      return header
          .map(h -> OptionalLong.of(Long.parseLong(h.trim())))
          .orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
