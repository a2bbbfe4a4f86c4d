package dev.kinetic.activator;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Netty's leak detector for the tests (named by {@code io.netty.customResourceLeakDetector} in the
 * pom, at the paranoid level): besides logging, it keeps each leak it finds, so {@link LeakCheck}
 * can fail the tests. The image runs with leak detection off for its cost on the request path
 * (operator/activator/jvm-flags); a buffer the proxy forgets to release is caught here instead.
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

  public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  @Override
  protected boolean needReport() {
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add(resourceType + " was not released:" + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add(resourceType + " was not released (no record of its uses)");
    super.reportUntracedLeak(resourceType);
  }

  /** The leaks found since the last call. */
  static List<String> takeLeaks() {
    List<String> taken = new ArrayList<>();
    String leak;
    while ((leak = LEAKS.poll()) != null) {
      taken.add(leak);
    }
    return taken;
  }
}
