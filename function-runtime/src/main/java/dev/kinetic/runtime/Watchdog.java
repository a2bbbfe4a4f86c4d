package dev.kinetic.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Enforces a deadline on a call running on some thread: exactly one of "the call finished" and "the
 * deadline passed" wins, and only the winner answers the request.
 */
final class Watchdog {
  private final ScheduledExecutorService timer;

  Watchdog(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Arms a deadline for the calling thread. At the deadline, unless {@link Armed#finish()} came
   * first, the thread is interrupted and {@code onTimeout} runs on the timer's thread.
   */
  Armed arm(Duration timeout, Runnable onTimeout) {
    return new Armed(Thread.currentThread(), timeout, onTimeout);
  }

  final class Armed implements Runnable {
    private final AtomicBoolean decided = new AtomicBoolean();
    private final CountDownLatch answered = new CountDownLatch(1);
    private final Thread worker;
    private final Runnable onTimeout;
    private final ScheduledFuture<?> alarm;

    private Armed(Thread worker, Duration timeout, Runnable onTimeout) {
      this.worker = worker;
      this.onTimeout = onTimeout;
      this.alarm = timer.schedule(this, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The alarm, on the timer's thread (a method, not a lambda: see FunctionHost). */
    @Override
    public void run() {
      if (decided.compareAndSet(false, true)) {
        worker.interrupt();
        try {
          onTimeout.run();
        } finally {
          answered.countDown();
        }
      }
    }

    /**
     * Called by the worker when the call returned. True when it did so in time and the worker
     * answers; false when the deadline already answered. Either way the worker's interrupt flag is
     * clear afterwards, so a pooled thread carries nothing into its next request.
     */
    boolean finish() {
      boolean inTime = decided.compareAndSet(false, true);
      if (inTime) {
        alarm.cancel(false);
      } else {
        // The alarm won: wait until it has interrupted this thread and answered the request (the
        // caller must not touch the exchange before), then clear the interrupt.
        boolean waiting = true;
        while (waiting) {
          try {
            answered.await();
            waiting = false;
          } catch (InterruptedException e) {
            // That was (or raced with) the alarm's interrupt: wait for the latch again.
          }
        }
        Thread.interrupted();
      }
      return inTime;
    }
  }
}
