package dev.kinetic.dispatcher;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends one attempt of an event to a function. Narrow, so tests can answer as they like. */
public interface EventSender {
  /**
   * @return the outcome; never completed exceptionally (a failure is {@link
   *     DeliveryPolicy.Outcome.NoAnswer})
   */
  CompletableFuture<DeliveryPolicy.Outcome> send(
      String namespace, String function, CloudEvent event, Duration timeout);
}
