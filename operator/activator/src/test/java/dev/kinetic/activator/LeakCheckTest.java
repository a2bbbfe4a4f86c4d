package dev.kinetic.activator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer never released is reported, so the tests would fail on one. */
class LeakCheckTest {
  @Test
  void aBufferNeverReleasedIsReported() {
    leakOne();
    List<String> found = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              found.addAll(LeakCheck.collectLeaks());
              return found.stream().anyMatch(leak -> leak.contains("LeakCheckTest.leakOne"));
            });
    // Anything else found is a leak of the proxy's, left by an earlier class.
    assertThat(found)
        .allSatisfy(leak -> assertThat(leak).contains("was not released", "LeakCheckTest.leakOne"));
  }

  private static void leakOne() {
    PooledByteBufAllocator.DEFAULT.directBuffer(16).writeInt(42);
  }
}
