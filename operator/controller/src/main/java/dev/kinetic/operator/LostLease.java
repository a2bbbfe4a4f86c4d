package dev.kinetic.operator;

import dev.kinetic.operator.autoscale.Leadership;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * What a replica does when it stops leading. One that loses its lease while running must end at
 * once, so that a deposed leader never reconciles or scales beside the new one; Kubernetes restarts
 * it as a standby. But the lease also ends when the process is being stopped (SIGTERM: the
 * operator's shutdown stops leader election), and exiting from there blocks forever, since {@code
 * System.exit} waits for the shutdown hook it is called from. JOSDK 5.3's own exit-on-stop-leading
 * does exactly that, and left a terminating operator hanging until the kubelet's SIGKILL (found by
 * running the operator's image; RealNodeIT checks it on the node). So: exit only when no shutdown
 * is under way.
 */
final class LostLease implements Runnable {
  private static final Logger LOG = Logger.getLogger(LostLease.class);

  private final Leadership leadership;
  private final BooleanSupplier shuttingDown;
  private final IntConsumer exit;
  private final Runnable release;

  /**
   * @param release gives the lease up when the shutdown ended the leadership
   */
  LostLease(
      Leadership leadership, BooleanSupplier shuttingDown, IntConsumer exit, Runnable release) {
    this.leadership = leadership;
    this.shuttingDown = shuttingDown;
    this.exit = exit;
    this.release = release;
  }

  /** In production: this JVM's shutdown state and {@link System#exit}. */
  static LostLease exitingThisProcess(Leadership leadership, Runnable release) {
    return new LostLease(leadership, LostLease::jvmShuttingDown, System::exit, release);
  }

  @Override
  public void run() {
    leadership.stopped();
    if (shuttingDown.getAsBoolean()) {
      LOG.info("leadership ended by the shutdown");
      release.run();
      return;
    }
    LOG.error("lost the leader lease while running: exiting, so that only the new leader acts");
    exit.accept(1);
  }

  /** The JVM refuses new shutdown hooks once its shutdown has begun: the only portable probe. */
  static boolean jvmShuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
