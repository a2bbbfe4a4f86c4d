package dev.kinetic.activator;

import dev.kinetic.routes.Endpoint;
import dev.kinetic.routes.Route;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The admission half of an exchange: through the function's gate to a slot on a pod — at once, or
 * after a wait in its queue (bounded by the function's timeout and the queue wait, with a demand
 * signal when it waits for a pod to start), or refused — and once more when the chosen pod refused
 * the connection. Holds the slot until it is released. Runs on the exchange's event loop; knows
 * nothing of HTTP.
 */
final class ExchangeAdmission {
  private final Exchange exchange;
  private final Proxy proxy;
  private final Gate gate;
  private final Target target;
  private final Route route;
  private final EventLoop loop;
  private long queuedAt;
  private boolean coldStart;
  private boolean retried;
  private Gate.Lease lease;
  private ScheduledFuture<?> timer;

  ExchangeAdmission(Exchange exchange, Proxy proxy, Target target, Route route, EventLoop loop) {
    this.exchange = exchange;
    this.proxy = proxy;
    this.target = target;
    this.route = route;
    this.loop = loop;
    this.gate = proxy.gates.forRoute(route);
    // Counted against the gate that admits it, once that gate exists: counted before, the first
    // request of a function with static routes could be forgotten by a sample that saw no gate.
    proxy.stats.requestArrived(target.key(), gate);
  }

  Gate gate() {
    return gate;
  }

  /** Asks the gate. A grant may be delivered before this returns. */
  Gate.Admission admit() {
    queuedAt = proxy.ticker.getAsLong();
    return gate.admit(exchange);
  }

  /**
   * Queued: the demand signal when the request waits for a pod to start, and its deadline ({@link
   * Exchange#waitedTooLong}). Called once the exchange is in its queued state, since a demand
   * signal may lead to a grant at once.
   */
  void waitInQueue(Gate.Admission queued) {
    // Either way but the last the request waits for a pod to start.
    coldStart = queued != Gate.Admission.QUEUED_PODS_FULL;
    if (queued == Gate.Admission.QUEUED_NO_POD) {
      proxy.demand.demand(target.key(), gate.queued(), 0);
    } else if (queued == Gate.Admission.QUEUED_NO_SLOT) {
      proxy.demand.demand(target.key(), gate.queued(), gate.readyPods());
    }
    long waitMs =
        Math.max(1, Math.min(proxy.settings.maxQueueWait().toMillis(), route.timeout().toMillis()));
    timer = loop.schedule(() -> exchange.waitedTooLong(waitMs), waitMs, TimeUnit.MILLISECONDS);
  }

  /** A queued exchange got its slot: its deadline is off and its wait is counted. */
  void grantedAfterWait() {
    cancelTimer();
    proxy.stats.waited(target.key(), gate, proxy.ticker.getAsLong() - queuedAt, coldStart);
  }

  /**
   * Out of the queue; false when the grant is already on its way (it stands, and is given back).
   */
  boolean leaveQueue() {
    cancelTimer();
    return gate.cancel(exchange);
  }

  void hold(Gate.Lease granted) {
    lease = granted;
  }

  /**
   * The pod refused the connection, so nothing of the request reached it: the slot goes back, the
   * pod out of rotation for {@link Gate#refusedPause()}. True when another ready pod is worth one
   * more try; queueing again for this one would wait for a pod the endpoints still call ready and
   * send a false cold-start demand.
   */
  boolean retryAfterRefusal(Endpoint refused) {
    release();
    gate.markFailed(refused);
    // Requests that queue while the pod is out of rotation get it back when its pause is over.
    loop.schedule(gate::retryFailed, gate.refusedPause().toNanos() + 1, TimeUnit.NANOSECONDS);
    if (!retried && gate.readyPods() > 0) {
      retried = true;
      return true;
    }
    return false;
  }

  /** Why no pod can start, for an {@link Gate.Admission#UNAVAILABLE} admission. */
  dev.kinetic.routes.Unavailable whyUnavailable() {
    return gate.whyUnavailable();
  }

  /** Frees the slot for the next waiter; safe to call more than once. */
  void release() {
    if (lease != null) {
      lease.release();
      lease = null;
    }
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The deadline fired: it is gone. */
  void timerFired() {
    timer = null;
  }
}
