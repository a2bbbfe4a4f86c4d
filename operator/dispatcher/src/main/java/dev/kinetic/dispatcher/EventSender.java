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

  /**
   * {@link #send}, with a sender that throws instead of answering taken as an attempt without an
   * answer, retried like one: a broken sender must not stop a schedule or a partition.
   */
  default CompletableFuture<DeliveryPolicy.Outcome> attempt(
      String namespace, String function, CloudEvent event, Duration timeout) {
    try {
      return send(namespace, function, event, timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new DeliveryPolicy.Outcome.NoAnswer(e.toString()));
    }
  }
}
