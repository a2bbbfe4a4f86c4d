package dev.kinetic.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * Lets the first request be served before the metrics registry exists. Building Micrometer's
 * Prometheus registry loads hundreds of classes; doing that on a second thread while the server
 * already listens keeps it off the cold-start path. What is recorded meanwhile is applied once the
 * registry is there, so nothing is lost; the backlog is bounded by the requests in flight.
 */
public final class DeferredMetrics implements RequestMetrics {
  private final CompletableFuture<RequestMetrics> target = new CompletableFuture<>();

  public void complete(RequestMetrics metrics) {
    target.complete(metrics);
  }

  @Override
  public void requestStarted() {
    RequestMetrics now = target.getNow(null);
    if (now != null) {
      now.requestStarted();
    } else {
      target.thenAccept(RequestMetrics::requestStarted);
    }
  }

  @Override
  public void requestFinished(Outcome outcome) {
    RequestMetrics now = target.getNow(null);
    if (now != null) {
      now.requestFinished(outcome);
    } else {
      target.thenAccept(m -> m.requestFinished(outcome));
    }
  }
}
