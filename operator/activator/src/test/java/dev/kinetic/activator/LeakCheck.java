package dev.kinetic.activator;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test class (registered for all of them by junit-platform.properties): fails if Netty
 * found a buffer that was never released. Netty notices a leak only once the buffer has been
 * collected and a later allocation looks, so this collects and allocates first; a leak collected
 * later still fails the next class.
 */
public final class LeakCheck implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = collectLeaks();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size() + " Netty buffer(s) leaked during or before this class:\n" + leaks);
    }
  }

  /** Collects garbage and lets both allocators look for leaked buffers among it. */
  static List<String> collectLeaks() {
    System.gc();
    for (ByteBufAllocator allocator :
        List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT)) {
      allocator.directBuffer(1).release();
      allocator.heapBuffer(1).release();
    }
    return FailingLeakDetector.takeLeaks();
  }
}
