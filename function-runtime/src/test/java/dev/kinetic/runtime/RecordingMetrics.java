package dev.kinetic.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A hand-written fake: keeps what the host reported. */
final class RecordingMetrics implements RequestMetrics {
  final AtomicInteger started = new AtomicInteger();
  final List<Outcome> finished = new CopyOnWriteArrayList<>();

  @Override
  public void requestStarted() {
    started.incrementAndGet();
  }

  @Override
  public void requestFinished(Outcome outcome) {
    finished.add(outcome);
  }
}
