package dev.kinetic.operator.autoscale;

import io.quarkus.runtime.LaunchMode;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this replica leads. Only the leader decides and scales every tick; any replica answers a
 * demand signal (a scale from zero is the same write whoever makes it). Leader election runs in the
 * prod profile only; elsewhere this replica is the only one and always leads.
 */
@Singleton
public class Leadership {
  private final AtomicBoolean leading =
      new AtomicBoolean(LaunchMode.current() != LaunchMode.NORMAL);

  public boolean leading() {
    return leading.get();
  }

  public void started() {
    leading.set(true);
  }

  public void stopped() {
    leading.set(false);
  }
}
