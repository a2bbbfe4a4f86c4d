package dev.kinetic.dispatcher;

import java.time.Duration;

/** Told of what happens to each event of a stream, from the stream's threads: the metrics. */
public interface DeliveryObserver {
  /**
   * @param latency from the event's own time (a record's timestamp) to the function's 2xx
   */
  void delivered(Duration latency);

  void retried();

  /** Given up on; {@code deadLettered} when it was written to the dead-letter topic. */
  void failed(boolean deadLettered);

  DeliveryObserver NONE =
      new DeliveryObserver() {
        @Override
        public void delivered(Duration latency) {}

        @Override
        public void retried() {}

        @Override
        public void failed(boolean deadLettered) {}
      };
}
